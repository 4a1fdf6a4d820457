package org.o1pruner.trainer.core;

/**
 * The length-harmonizing advantage of DESIGN.md §2: the raw R_LH clipped to
 * {@code [clipLow, clipHigh]} (default [−2, 4]), then standardized with running statistics.
 *
 * <p>Order within a step: the step's clipped rewards are first added to the statistics, then every
 * reward of the step is standardized with the updated statistics, so the first step is a plain
 * z-score over its own batch and later steps converge to the z-score over all data seen.
 */
public final class Advantages {

    /**
     * The step's advantages and the statistics after it.
     *
     * @param advantages one standardized advantage per reward, in order
     * @param stats the running statistics including this step's rewards
     */
    public record Result(double[] advantages, AdvantageStats stats) {}

    private final double clipLow;
    private final double clipHigh;

    /** @throws IllegalArgumentException unless {@code clipLow < clipHigh}, both finite */
    public Advantages(double clipLow, double clipHigh) {
        if (!Double.isFinite(clipLow) || !Double.isFinite(clipHigh) || !(clipLow < clipHigh)) {
            throw new IllegalArgumentException("need finite clipLow < clipHigh, got " + clipLow + ", " + clipHigh);
        }
        this.clipLow = clipLow;
        this.clipHigh = clipHigh;
    }

    /** The paper's clip range [−2, 4]. */
    public static Advantages defaults() {
        return new Advantages(-2.0, 4.0);
    }

    /** A raw reward clipped to the range. */
    public double clip(double raw) {
        return Math.max(clipLow, Math.min(clipHigh, raw));
    }

    /** Clips, updates the statistics, standardizes. */
    public Result compute(AdvantageStats before, double[] rawRewards) {
        double[] clipped = new double[rawRewards.length];
        for (int i = 0; i < rawRewards.length; i++) {
            clipped[i] = clip(rawRewards[i]);
        }
        AdvantageStats after = before.addAll(clipped);
        double[] adv = new double[clipped.length];
        for (int i = 0; i < clipped.length; i++) {
            adv[i] = after.standardize(clipped[i]);
        }
        return new Result(adv, after);
    }
}
