package org.o1pruner.grading;

/** A complex double used for numeric (random-point) comparison of expressions that are not exact rationals. */
record Complex(double re, double im) {

    static final Complex I = new Complex(0, 1);
    static final Complex NAN = new Complex(Double.NaN, Double.NaN);

    static Complex real(double x) {
        return new Complex(x, 0);
    }

    boolean isReal() {
        return im == 0;
    }

    boolean isFinite() {
        return Double.isFinite(re) && Double.isFinite(im);
    }

    boolean isNaN() {
        return Double.isNaN(re) || Double.isNaN(im);
    }

    double abs() {
        return Math.hypot(re, im);
    }

    Complex negate() {
        return new Complex(-re, -im);
    }

    Complex add(Complex o) {
        return new Complex(re + o.re, im + o.im);
    }

    Complex subtract(Complex o) {
        return new Complex(re - o.re, im - o.im);
    }

    Complex multiply(Complex o) {
        if (im == 0 && o.im == 0) {
            return real(re * o.re);
        }
        return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex divide(Complex o) {
        if (im == 0 && o.im == 0) {
            return real(re / o.re);
        }
        double d = o.re * o.re + o.im * o.im;
        return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    Complex log() {
        if (im == 0 && re > 0) {
            return real(Math.log(re));
        }
        return new Complex(Math.log(abs()), Math.atan2(im, re));
    }

    Complex exp() {
        double e = Math.exp(re);
        if (im == 0) {
            return real(e);
        }
        return new Complex(e * Math.cos(im), e * Math.sin(im));
    }

    Complex pow(Complex e) {
        if (isReal() && e.isReal()) {
            double r = Math.pow(re, e.re);
            if (!Double.isNaN(r)) {
                return real(r);
            }
        }
        if (re == 0 && im == 0) {
            return e.re > 0 ? real(0) : NAN;
        }
        if (e.isReal() && e.re == Math.rint(e.re) && Math.abs(e.re) <= 64) {
            int k = (int) Math.abs(e.re);
            Complex r = real(1);
            for (int i = 0; i < k; i++) {
                r = r.multiply(this);
            }
            return e.re < 0 ? real(1).divide(r) : r;
        }
        return e.multiply(log()).exp();
    }

    /** Principal square root. */
    Complex sqrt() {
        if (im == 0 && re >= 0) {
            return real(Math.sqrt(re));
        }
        double m = abs();
        double a = Math.sqrt((m + re) / 2);
        double b = Math.copySign(Math.sqrt((m - re) / 2), im == 0 ? 1 : im);
        return new Complex(a, b);
    }

    /** Real n-th root for real arguments (so that the cube root of -8 is -2), principal root otherwise. */
    Complex root(double n) {
        if (im == 0 && n == Math.rint(n)) {
            if (re >= 0) {
                return real(Math.pow(re, 1 / n));
            }
            if (((long) n) % 2 == 1) {
                return real(-Math.pow(-re, 1 / n));
            }
        }
        return pow(real(1 / n));
    }

    Complex sin() {
        return im == 0 ? real(Math.sin(re)) : new Complex(Math.sin(re) * Math.cosh(im), Math.cos(re) * Math.sinh(im));
    }

    Complex cos() {
        return im == 0 ? real(Math.cos(re)) : new Complex(Math.cos(re) * Math.cosh(im), -Math.sin(re) * Math.sinh(im));
    }

    /** Whether two values agree to about nine significant digits (with a tiny absolute floor for cancellation). */
    boolean closeTo(Complex o) {
        if (!isFinite() || !o.isFinite()) {
            return re == o.re && im == o.im && !isNaN();
        }
        double diff = subtract(o).abs();
        double scale = Math.max(abs(), o.abs());
        return diff <= 1e-9 * scale + 1e-12;
    }
}
