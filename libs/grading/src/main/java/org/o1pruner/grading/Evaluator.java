package org.o1pruner.grading;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an {@link Expr} exactly (to a {@link Rational}, when it is a rational number) or
 * numerically (to a {@link Complex}, with every variable bound to a value). Every step is
 * charged to the {@link Meter}.
 */
final class Evaluator {

    private Evaluator() {
    }

    /** The exact rational value, or null when the expression is not a rational constant (variables, pi, irrational roots, ...). */
    static Rational exact(Expr e, Meter m) {
        return exact(e, Map.of(), m);
    }

    /**
     * The exact rational value with the variables in {@code vars} bound to rationals, or null
     * when it is not rational (an unbound variable, pi, an irrational root, a function, ...).
     */
    static Rational exact(Expr e, Map<String, Rational> vars, Meter m) {
        m.tick();
        if (e instanceof Expr.Var v) {
            return vars.get(v.name());
        }
        if (e instanceof Expr.Num n) {
            return n.value();
        }
        if (e instanceof Expr.Neg n) {
            Rational a = exact(n.arg(), vars, m);
            return a == null ? null : a.negate();
        }
        if (e instanceof Expr.Bin b) {
            // walk the left spine of a chain such as 1+2+…+n iteratively: no recursion per link
            List<Expr.Bin> spine = spine(b);
            Rational x = exact(spine.get(spine.size() - 1).left(), vars, m);
            for (int i = spine.size() - 1; i >= 0 && x != null; i--) {
                Expr.Bin link = spine.get(i);
                Rational y = exact(link.right(), vars, m);
                if (y == null) {
                    return null;
                }
                switch (link.op()) {
                    case '+': x = x.add(y, m); break;
                    case '-': x = x.subtract(y, m); break;
                    case '*': x = x.multiply(y, m); break;
                    case '/': x = x.divide(y, m); break;
                    default: throw new IllegalStateException("operator " + link.op());
                }
            }
            return x;
        }
        if (e instanceof Expr.Pow p) {
            Rational x = exact(p.base(), vars, m);
            if (x == null) {
                return null;
            }
            Rational y = exact(p.exponent(), vars, m);
            if (y == null) {
                return null;
            }
            if (y.isInteger()) {
                return x.pow(y.num(), m);
            }
            // a rational power: exact only when the root is exact, e.g. 8^{2/3}
            if (y.den().bitLength() > 7) {
                return null;
            }
            Rational r = root(x, y.den().intValue(), m);
            return r == null ? null : r.pow(y.num(), m);
        }
        if (e instanceof Expr.Root r) {
            Rational idx = exact(r.index(), vars, m);
            Rational x = exact(r.arg(), vars, m);
            if (idx == null || x == null || !idx.isInteger() || idx.signum() <= 0 || idx.num().bitLength() > 7) {
                return null;
            }
            return root(x, idx.num().intValue(), m);
        }
        if (e instanceof Expr.Binom b) {
            Rational n = exact(b.n(), vars, m);
            Rational k = exact(b.k(), vars, m);
            if (n == null || k == null || !k.isInteger()) {
                return null;
            }
            return binomial(n, k.num(), m);
        }
        if (e instanceof Expr.Fact f) {
            Rational x = exact(f.arg(), vars, m);
            if (x == null || !x.isInteger() || x.signum() < 0) {
                return null;
            }
            if (x.num().compareTo(BigInteger.valueOf(2000)) > 0) {
                throw new GradingLimitException("factorial beyond 2000");
            }
            BigInteger acc = BigInteger.ONE;
            int k = x.num().intValue();
            for (int i = 2; i <= k; i++) {
                acc = acc.multiply(BigInteger.valueOf(i));
                m.tick(Rational.cost(acc.bitLength()));
            }
            return Rational.of(acc, BigInteger.ONE, m);
        }
        return null; // Var, Const, Fn: not a rational constant
    }

    /** n choose k for an integer k >= 0 and any rational n: n(n-1)...(n-k+1)/k!; zero for k < 0. */
    private static Rational binomial(Rational n, BigInteger k, Meter m) {
        if (k.signum() < 0) {
            return Rational.ZERO;
        }
        if (n.isInteger() && n.signum() >= 0) {
            if (k.compareTo(n.num()) > 0) {
                return Rational.ZERO;
            }
            k = k.min(n.num().subtract(k)); // symmetry keeps the product short
        }
        if (k.compareTo(BigInteger.valueOf(2000)) > 0) {
            throw new GradingLimitException("binomial with k beyond 2000");
        }
        Rational acc = Rational.ONE;
        for (int i = 0; i < k.intValue(); i++) {
            Rational factor = n.subtract(Rational.of(i), m).divide(Rational.of(i + 1), m);
            acc = acc.multiply(factor, m);
        }
        return acc;
    }

    /** The exact k-th root of a rational, or null when it is irrational (or not real). */
    private static Rational root(Rational x, int k, Meter m) {
        if (k == 1) {
            return x;
        }
        boolean neg = x.signum() < 0;
        if (neg && k % 2 == 0) {
            return null;
        }
        BigInteger n = intRoot(x.num().abs(), k, m);
        BigInteger d = intRoot(x.den(), k, m);
        if (n == null || d == null) {
            return null;
        }
        return Rational.of(neg ? n.negate() : n, d, m);
    }

    private static BigInteger intRoot(BigInteger x, int k, Meter m) {
        m.tick(Rational.cost(x.bitLength()) * 4);
        BigInteger r;
        if (k == 2) {
            r = x.sqrt();
        } else {
            if (x.bitLength() > 1000) {
                return null;
            }
            r = BigInteger.valueOf(Math.round(Math.pow(x.doubleValue(), 1.0 / k)));
            for (int delta = -1; delta <= 1; delta++) {
                BigInteger c = r.add(BigInteger.valueOf(delta));
                if (c.signum() >= 0 && c.pow(k).equals(x)) {
                    return c;
                }
            }
            return null;
        }
        return r.pow(k).equals(x) ? r : null;
    }

    /** The numeric value with every variable taken from {@code vars}. */
    static Complex numeric(Expr e, Map<String, Complex> vars, Meter m) {
        m.tick();
        if (e instanceof Expr.Num n) {
            return Complex.real(n.value().toDouble());
        }
        if (e instanceof Expr.Var v) {
            Complex c = vars.get(v.name());
            if (c == null) {
                throw new IllegalStateException("unbound variable " + v.name());
            }
            return c;
        }
        if (e instanceof Expr.Const c) {
            switch (c.kind()) {
                case PI: return Complex.real(Math.PI);
                case I: return Complex.I;
                default: return Complex.real(Double.POSITIVE_INFINITY);
            }
        }
        if (e instanceof Expr.Neg n) {
            return numeric(n.arg(), vars, m).negate();
        }
        if (e instanceof Expr.Bin b) {
            List<Expr.Bin> spine = spine(b);
            Complex x = numeric(spine.get(spine.size() - 1).left(), vars, m);
            for (int i = spine.size() - 1; i >= 0; i--) {
                Expr.Bin link = spine.get(i);
                Complex y = numeric(link.right(), vars, m);
                switch (link.op()) {
                    case '+': x = x.add(y); break;
                    case '-': x = x.subtract(y); break;
                    case '*': x = x.multiply(y); break;
                    case '/': x = x.divide(y); break;
                    default: throw new IllegalStateException("operator " + link.op());
                }
            }
            return x;
        }
        if (e instanceof Expr.Pow p) {
            return numeric(p.base(), vars, m).pow(numeric(p.exponent(), vars, m));
        }
        if (e instanceof Expr.Root r) {
            Complex idx = numeric(r.index(), vars, m);
            Complex x = numeric(r.arg(), vars, m);
            if (idx.isReal() && idx.re() == 2) {
                return x.sqrt();
            }
            return idx.isReal() ? x.root(idx.re()) : Complex.NAN;
        }
        if (e instanceof Expr.Fn f) {
            return function(f.name(), numeric(f.arg(), vars, m));
        }
        if (e instanceof Expr.Binom b) {
            Complex n = numeric(b.n(), vars, m);
            Complex k = numeric(b.k(), vars, m);
            if (!k.isReal() || k.re() != Math.rint(k.re()) || k.re() > 1_000) {
                return Complex.NAN;
            }
            Complex acc = Complex.real(1);
            for (int i = 0; i < (int) k.re(); i++) {
                acc = acc.multiply(n.subtract(Complex.real(i))).divide(Complex.real(i + 1));
            }
            return k.re() < 0 ? Complex.real(0) : acc;
        }
        Expr.Fact f = (Expr.Fact) e;
        Complex x = numeric(f.arg(), vars, m);
        if (!x.isReal() || x.re() < 0 || x.re() != Math.rint(x.re()) || x.re() > 170) {
            return Complex.NAN;
        }
        double acc = 1;
        for (int i = 2; i <= (int) x.re(); i++) {
            acc *= i;
        }
        return Complex.real(acc);
    }

    private static Complex function(String name, Complex x) {
        return switch (name) {
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tan" -> x.sin().divide(x.cos());
            case "cot" -> x.cos().divide(x.sin());
            case "sec" -> Complex.real(1).divide(x.cos());
            case "csc" -> Complex.real(1).divide(x.sin());
            case "log", "ln" -> x.log();
            case "log10" -> x.log().divide(Complex.real(Math.log(10)));
            case "exp" -> x.exp();
            case "arcsin" -> x.isReal() ? Complex.real(Math.asin(x.re())) : Complex.NAN;
            case "arccos" -> x.isReal() ? Complex.real(Math.acos(x.re())) : Complex.NAN;
            case "arctan" -> x.isReal() ? Complex.real(Math.atan(x.re())) : Complex.NAN;
            case "sinh" -> x.isReal() ? Complex.real(Math.sinh(x.re())) : Complex.NAN;
            case "cosh" -> x.isReal() ? Complex.real(Math.cosh(x.re())) : Complex.NAN;
            case "tanh" -> x.isReal() ? Complex.real(Math.tanh(x.re())) : Complex.NAN;
            default -> Complex.NAN;
        };
    }

    /** Collects the names of the free variables of {@code e} into {@code out}. */
    static void variables(Expr e, Set<String> out) {
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Var v) {
                out.add(v.name());
            }
            children(x).forEach(todo::push);
        }
    }

    /** Whether {@code e} mentions infinity (so an infinite value is meant, not an overflow). */
    static boolean mentionsInfinity(Expr e) {
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Const c && c.kind() == Expr.Const.Kind.INFINITY) {
                return true;
            }
            children(x).forEach(todo::push);
        }
        return false;
    }

    /** The links of a left-leaning chain of binary operations, from the top one down. */
    private static List<Expr.Bin> spine(Expr.Bin top) {
        List<Expr.Bin> links = new ArrayList<>();
        Expr cur = top;
        while (cur instanceof Expr.Bin b) {
            links.add(b);
            cur = b.left();
        }
        return links;
    }

    private static List<Expr> children(Expr e) {
        if (e instanceof Expr.Neg n) {
            return List.of(n.arg());
        }
        if (e instanceof Expr.Bin b) {
            return List.of(b.left(), b.right());
        }
        if (e instanceof Expr.Pow p) {
            return List.of(p.base(), p.exponent());
        }
        if (e instanceof Expr.Root r) {
            return List.of(r.index(), r.arg());
        }
        if (e instanceof Expr.Fn f) {
            return List.of(f.arg());
        }
        if (e instanceof Expr.Fact f) {
            return List.of(f.arg());
        }
        if (e instanceof Expr.Binom b) {
            return List.of(b.n(), b.k());
        }
        return List.of();
    }
}
