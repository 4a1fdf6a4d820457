package org.o1pruner.grading;

/** The expression tree a {@link MathParser} builds from one LaTeX or ASCII math answer. */
sealed interface Expr {

    /** An exact number literal. */
    record Num(Rational value) implements Expr { }

    /** A free variable or opaque symbol (such as a base-8 numeral {@code 422_8}); compared by random-point evaluation. */
    record Var(String name) implements Expr { }

    /** A named constant. */
    record Const(Kind kind) implements Expr {
        enum Kind { PI, I, INFINITY }
    }

    /** Unary minus. */
    record Neg(Expr arg) implements Expr { }

    /** A binary arithmetic operation; {@code op} is one of {@code + - * /}. */
    record Bin(char op, Expr left, Expr right) implements Expr { }

    /** {@code base} to the power {@code exponent}. */
    record Pow(Expr base, Expr exponent) implements Expr { }

    /** An n-th root; {@code index} is 2 for a square root. */
    record Root(Expr index, Expr arg) implements Expr { }

    /** A named elementary function of one argument (sin, cos, tan, log, ln, exp, ...). */
    record Fn(String name, Expr arg) implements Expr { }

    /** The binomial coefficient n choose k, for integers. */
    record Binom(Expr n, Expr k) implements Expr { }

    /** The factorial of a non-negative integer. */
    record Fact(Expr arg) implements Expr { }
}
