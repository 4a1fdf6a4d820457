package org.o1pruner.toyworld;

/**
 * The length-harmonizing reward of DESIGN.md §2, restated locally so the toy world's simulation
 * does not wait on (or bend) the shared reward code:
 * {@code R = L̄_ref / L − 1 + λ·(A − Ā_ref)}, clipped to {@code [clipLow, clipHigh]}.
 * The reward service's implementation is the one used in training; a test holds the two equal.
 */
final class RewardMath {

    private RewardMath() {
    }

    /** The raw reward of one sample of length {@code length} (≥ 1) and correctness {@code correct}. */
    static double raw(double meanLength, double meanAccuracy, int length, boolean correct, double lambda) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, got " + length);
        }
        return meanLength / length - 1 + lambda * ((correct ? 1 : 0) - meanAccuracy);
    }

    /** {@code raw} clipped to {@code [low, high]}. */
    static double clip(double raw, double low, double high) {
        return Math.max(low, Math.min(high, raw));
    }
}
