package org.o1pruner.grading.reward;

import java.util.List;

/**
 * The length-harmonizing reward of O1-Pruner (arXiv 2501.12570, DESIGN.md §2):
 * {@code R_LH(x,y) = L̄_ref(x)/L(y) − 1 + λ·(A(x,y) − Ā_ref(x))}, computed per
 * sample from the reference means of its group, and its clipped form used as the
 * trainer's advantage before standardization.
 *
 * <p>The first term rewards a solution for being shorter than the group's mean
 * (and is scale-free: multiplying every length by a constant leaves it unchanged);
 * the second rewards being correct more than the group is on average, weighted
 * by λ, and sums to zero over a group.
 *
 * <p><b>Zero-length responses.</b> A response of L = 0 tokens (the model emitted
 * EOS straight away) would divide by zero. Such a response is treated as one
 * token long <em>in the denominator only</em>: L̄_ref stays the mean of the
 * reported lengths. The reward stays finite and is the largest a response of
 * that group can earn on length, which the clip bound then caps; an empty
 * response carries no {@code \boxed{}} answer, so it is incorrect and the
 * accuracy term penalizes it.
 *
 * <p>Immutable and thread-safe.
 */
public final class LengthHarmonizingReward {
    /** The paper's official accuracy weight for Marco-o1. */
    public static final double DEFAULT_LAMBDA = 2.0;
    /** Lower clip bound of the official implementation. */
    public static final double DEFAULT_CLIP_LOW = -2.0;
    /** Upper clip bound of the official implementation. */
    public static final double DEFAULT_CLIP_HIGH = 4.0;

    private final double lambda;
    private final double clipLow;
    private final double clipHigh;

    /**
     * @param lambda   accuracy weight λ, finite and {@code >= 0}
     * @param clipLow  lower clip bound, finite
     * @param clipHigh upper clip bound, finite and {@code >= clipLow}
     */
    public LengthHarmonizingReward(double lambda, double clipLow, double clipHigh) {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (!Double.isFinite(clipLow) || !Double.isFinite(clipHigh) || clipLow > clipHigh) {
            throw new IllegalArgumentException(
                    "clip bounds must be finite with low <= high, got [" + clipLow + ", " + clipHigh + "]");
        }
        this.lambda = lambda;
        this.clipLow = clipLow;
        this.clipHigh = clipHigh;
    }

    /** λ = 2, clip [−2, 4]: the official defaults. */
    public static LengthHarmonizingReward defaults() {
        return new LengthHarmonizingReward(DEFAULT_LAMBDA, DEFAULT_CLIP_LOW, DEFAULT_CLIP_HIGH);
    }

    public double lambda() {
        return lambda;
    }

    public double clipLow() {
        return clipLow;
    }

    public double clipHigh() {
        return clipHigh;
    }

    /** The length used as the denominator: L, or 1 for an empty response (see class doc). */
    public static int effectiveLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0 tokens, got " + length);
        }
        return Math.max(length, 1);
    }

    /** Raw R_LH of one sample given its group's reference means. */
    public double raw(GroupStats stats, Outcome sample) {
        return stats.meanLength() / effectiveLength(sample.length()) - 1.0
                + lambda * (sample.accuracy() - stats.meanAccuracy());
    }

    /** The length term alone: L̄_ref/L − 1. */
    public static double lengthTerm(GroupStats stats, int length) {
        return stats.meanLength() / effectiveLength(length) - 1.0;
    }

    /** Raw rewards of a whole group, in the group's order. */
    public double[] rawRewards(List<Outcome> group) {
        GroupStats stats = GroupStats.of(group);
        double[] out = new double[group.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw(stats, group.get(i));
        }
        return out;
    }

    /**
     * The raw reward clipped to [clipLow, clipHigh].
     *
     * @throws IllegalArgumentException for NaN (a NaN reward is a bug upstream, never clipped away)
     */
    public double clipped(double raw) {
        if (Double.isNaN(raw)) {
            throw new IllegalArgumentException("reward is NaN");
        }
        return Math.min(clipHigh, Math.max(clipLow, raw));
    }

    @Override
    public String toString() {
        return "LengthHarmonizingReward[lambda=" + lambda + ", clip=[" + clipLow + ", " + clipHigh + "]]";
    }
}
