package org.o1pruner.model.train;

/**
 * Dynamic loss scaling for float16 training: the loss is multiplied by a scale before the backward
 * pass so that small gradients do not underflow float16, and the gradients are divided by it before
 * clipping and the update. An overflow (a non-finite gradient norm) skips the step and halves the
 * scale; after {@code growthInterval} good steps in a row the scale doubles.
 *
 * <p>Not needed for float32 or bfloat16 (whose range is float32's); {@link #none()} is the identity.
 * Mutable; owned by one {@link TrainStep}.
 */
public final class LossScaler {
    private final boolean enabled;
    private final int growthInterval;
    private final double minScale;
    private double scale;
    private int goodSteps;

    private LossScaler(boolean enabled, double initialScale, int growthInterval, double minScale) {
        this.enabled = enabled;
        this.scale = initialScale;
        this.growthInterval = growthInterval;
        this.minScale = minScale;
    }

    /** No scaling (scale 1, never changes). */
    public static LossScaler none() {
        return new LossScaler(false, 1, Integer.MAX_VALUE, 1);
    }

    /**
     * Dynamic scaling.
     *
     * @param initialScale first scale, {@code >= 1} (torch's GradScaler uses 65536)
     * @param growthInterval good steps before the scale doubles, {@code >= 1} (torch: 2000)
     */
    public static LossScaler dynamic(double initialScale, int growthInterval) {
        if (!(initialScale >= 1) || Double.isInfinite(initialScale)) {
            throw new IllegalArgumentException("initialScale must be finite and >= 1, got " + initialScale);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("growthInterval must be >= 1, got " + growthInterval);
        }
        return new LossScaler(true, initialScale, growthInterval, 1);
    }

    /** Whether the scaler scales at all. */
    public boolean enabled() {
        return enabled;
    }

    /** The current scale. */
    public double scale() {
        return scale;
    }

    /**
     * Records the outcome of a step and adapts the scale.
     *
     * @param finite whether the (scaled) gradients were finite, i.e. the step was applied
     */
    public void update(boolean finite) {
        if (!enabled) {
            return;
        }
        if (!finite) {
            scale = Math.max(minScale, scale / 2);
            goodSteps = 0;
        } else if (++goodSteps >= growthInterval) {
            scale *= 2;
            goodSteps = 0;
        }
    }
}
