package org.o1pruner.model.train;

/**
 * Linear warm-up followed by cosine decay, the schedule of the paper's training runs (warm-up 10 %).
 *
 * <p>Warm-up lasts {@code ceil(warmupFraction * totalSteps)} steps and rises linearly from 0 to the
 * peak; afterwards the rate follows half a cosine from the peak down to {@code minLr} at
 * {@code totalSteps}, and stays there. This matches Hugging Face's
 * {@code get_cosine_schedule_with_warmup} (with {@code minLr = 0}), which the paper's LLaMA-Factory
 * runs use: the first update, after zero completed steps, has rate 0 when there is any warm-up.
 */
public final class CosineSchedule implements LrSchedule {
    private final double peakLr;
    private final double minLr;
    private final long totalSteps;
    private final long warmupSteps;

    /**
     * @param peakLr the rate at the end of warm-up, {@code > 0}
     * @param totalSteps optimizer steps in the run, {@code >= 1}
     * @param warmupFraction fraction of {@code totalSteps} spent warming up, in [0, 1]
     * @param minLr the floor reached at the end, in [0, peakLr]
     */
    public CosineSchedule(double peakLr, long totalSteps, double warmupFraction, double minLr) {
        if (!(peakLr > 0) || Double.isInfinite(peakLr)) {
            throw new IllegalArgumentException("peakLr must be a positive finite number, got " + peakLr);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (!(warmupFraction >= 0 && warmupFraction <= 1)) {
            throw new IllegalArgumentException("warmupFraction must be in [0, 1], got " + warmupFraction);
        }
        if (!(minLr >= 0 && minLr <= peakLr)) {
            throw new IllegalArgumentException("minLr must be in [0, peakLr], got " + minLr);
        }
        this.peakLr = peakLr;
        this.minLr = minLr;
        this.totalSteps = totalSteps;
        this.warmupSteps = (long) Math.ceil(warmupFraction * totalSteps);
    }

    /** Cosine decay to zero. */
    public CosineSchedule(double peakLr, long totalSteps, double warmupFraction) {
        this(peakLr, totalSteps, warmupFraction, 0.0);
    }

    /** Number of warm-up steps. */
    public long warmupSteps() {
        return warmupSteps;
    }

    /** Total number of steps of the schedule. */
    public long totalSteps() {
        return totalSteps;
    }

    /** The peak learning rate. */
    public double peakLr() {
        return peakLr;
    }

    @Override
    public double lr(long completedSteps) {
        if (completedSteps < 0) {
            throw new IllegalArgumentException("completedSteps must be >= 0, got " + completedSteps);
        }
        if (completedSteps < warmupSteps) {
            return peakLr * completedSteps / warmupSteps;
        }
        if (completedSteps >= totalSteps) {
            return minLr;
        }
        double progress = (double) (completedSteps - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return minLr + (peakLr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }
}
