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
        meter.tick(cost(n.bitLength() + d.bitLength()));
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

    /** Operations charged for arithmetic on numbers of {@code bits} bits: quadratic, like multiplication and gcd. */
    static long cost(long bits) {
        long words = bits / 64;
        return 1 + words * words;
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

    /** The sum, reduced with gcds of the denominators only (cheap when one side is small). */
    Rational add(Rational o, Meter m) {
        if (num.signum() == 0) {
            return o;
        }
        if (o.num.signum() == 0) {
            return this;
        }
        if (isInteger() && o.isInteger()) {
            return coprime(num.add(o.num), BigInteger.ONE, m);
        }
        BigInteger g = den.gcd(o.den);
        if (g.equals(BigInteger.ONE)) {
            return coprime(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den), m);
        }
        BigInteger t = num.multiply(o.den.divide(g)).add(o.num.multiply(den.divide(g)));
        BigInteger g2 = t.gcd(g);
        return coprime(t.divide(g2), den.divide(g).multiply(o.den.divide(g2)), m);
    }

    Rational subtract(Rational o, Meter m) {
        return add(o.negate(), m);
    }

    /** The product, reduced by cross-cancelling (no gcd of two large numbers). */
    Rational multiply(Rational o, Meter m) {
        if (num.signum() == 0 || o.num.signum() == 0) {
            return ZERO;
        }
        BigInteger g1 = num.gcd(o.den);
        BigInteger g2 = o.num.gcd(den);
        return coprime(num.divide(g1).multiply(o.num.divide(g2)), den.divide(g2).multiply(o.den.divide(g1)), m);
    }

    Rational divide(Rational o, Meter m) {
        if (o.num.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        Rational reciprocal = o.num.signum() > 0 ? new Rational(o.den, o.num) : new Rational(o.den.negate(), o.num.negate());
        return multiply(reciprocal, m);
    }

    /** A result already in lowest terms with a positive denominator, checked against the budget. */
    private static Rational coprime(BigInteger n, BigInteger d, Meter meter) {
        check(n, meter);
        check(d, meter);
        meter.tick(cost(n.bitLength() + d.bitLength()));
        return new Rational(n, d);
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
        m.tick(cost(bits));
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
