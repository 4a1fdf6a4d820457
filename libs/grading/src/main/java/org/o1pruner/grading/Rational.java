package org.o1pruner.grading;

import java.math.BigInteger;

/** An exact rational number in lowest terms with a positive denominator; sizes are checked against a {@link Meter}. */
record Rational(BigInteger num, BigInteger den) {

    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    static Rational of(BigInteger n, BigInteger d, Meter meter) {
        if (d.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        check(n, meter);
        check(d, meter);
        meter.tick(1 + (n.bitLength() + d.bitLength()) / 64);
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        BigInteger g = n.gcd(d);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            n = n.divide(g);
            d = d.divide(g);
        }
        return new Rational(n, d);
    }

    private static void check(BigInteger x, Meter meter) {
        if (x.bitLength() > meter.budget().maxBits()) {
            throw new GradingLimitException("number larger than " + meter.budget().maxBits() + " bits");
        }
    }

    /** Parses a plain decimal literal such as {@code 12}, {@code 0.125} or {@code .5}. */
    static Rational parseDecimal(String digits, Meter meter) {
        int dot = digits.indexOf('.');
        if (dot < 0) {
            return of(new BigInteger(digits), BigInteger.ONE, meter);
        }
        String whole = digits.substring(0, dot);
        String frac = digits.substring(dot + 1);
        BigInteger n = new BigInteger((whole.isEmpty() ? "0" : whole) + frac);
        return of(n, BigInteger.TEN.pow(frac.length()), meter);
    }

    boolean isInteger() {
        return den.equals(BigInteger.ONE);
    }

    int signum() {
        return num.signum();
    }

    Rational negate() {
        return new Rational(num.negate(), den);
    }

    Rational add(Rational o, Meter m) {
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den), m);
    }

    Rational subtract(Rational o, Meter m) {
        return add(o.negate(), m);
    }

    Rational multiply(Rational o, Meter m) {
        return of(num.multiply(o.num), den.multiply(o.den), m);
    }

    Rational divide(Rational o, Meter m) {
        if (o.num.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return of(num.multiply(o.den), den.multiply(o.num), m);
    }

    /** This to an integer power, refusing results beyond the budget before computing them. */
    Rational pow(BigInteger e, Meter m) {
        if (num.signum() == 0) {
            if (e.signum() < 0) {
                throw new ArithmeticException("zero to a negative power");
            }
            return e.signum() == 0 ? ONE : ZERO;
        }
        if (num.abs().equals(BigInteger.ONE) && den.equals(BigInteger.ONE)) {
            return (num.signum() > 0 || !e.testBit(0)) ? ONE : of(-1);
        }
        GradingBudget b = m.budget();
        if (e.abs().compareTo(BigInteger.valueOf(b.maxExponent())) > 0) {
            throw new GradingLimitException("exponent beyond " + b.maxExponent());
        }
        int k = e.abs().intValueExact();
        long bits = (long) Math.max(num.bitLength(), den.bitLength()) * k;
        if (bits > b.maxBits()) {
            throw new GradingLimitException("power larger than " + b.maxBits() + " bits");
        }
        m.tick(1 + bits / 64);
        Rational r = new Rational(num.pow(k), den.pow(k));
        return e.signum() < 0 ? of(r.den, r.num, m) : r;
    }

    double toDouble() {
        double n = num.doubleValue();
        double d = den.doubleValue();
        if (Double.isFinite(n) && Double.isFinite(d)) {
            return n / d;
        }
        return new java.math.BigDecimal(num).divide(new java.math.BigDecimal(den), java.math.MathContext.DECIMAL64)
                .doubleValue();
    }
}
