package org.o1pruner.toyworld;

/**
 * One signed term of an arithmetic chain: a plain operand {@code a}, or (first term only) a
 * single-digit product {@code a×b}. A chain's value is the sum of its signed terms, so the
 * left-to-right reading and any regrouping of the terms give the same exact answer.
 *
 * @param minus true when the term is subtracted
 * @param a     the operand, or the left factor of a product (non-negative)
 * @param b     the right factor of a product, or 0 when the term is a plain operand
 */
public record Term(boolean minus, int a, int b) {

    public Term {
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("terms are non-negative, got a=" + a + " b=" + b);
        }
        if (minus && b != 0) {
            throw new IllegalArgumentException("a product is always the first, positive term");
        }
    }

    static Term plus(int a) {
        return new Term(false, a, 0);
    }

    static Term minus(int a) {
        return new Term(true, a, 0);
    }

    static Term product(int a, int b) {
        if (b == 0) {
            throw new IllegalArgumentException("a product needs a non-zero right factor");
        }
        return new Term(false, a, b);
    }

    /** Whether this term is a product {@code a×b}. */
    public boolean isProduct() {
        return b != 0;
    }

    /** The term's unsigned value. */
    public int magnitude() {
        return isProduct() ? a * b : a;
    }

    /** The term's signed contribution to the chain. */
    public int signedValue() {
        return minus ? -magnitude() : magnitude();
    }

    /** The term as written inside the chain, without its sign: {@code 47} or {@code 7×8}. */
    public String body() {
        return isProduct() ? a + "×" + b : Integer.toString(a);
    }
}
