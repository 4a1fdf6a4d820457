package org.o1pruner.toyworld.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of a mean: resample the values (one per problem) with replacement, take
 * the mean of each resample, and report the 2.5th and 97.5th percentiles. Resampling whole
 * problems keeps the correlation between a problem's samples, which a binomial interval over
 * pooled samples ignores. Seeded, so a report is reproducible.
 */
public final class Bootstrap {

    /** Resamples used by the reports. */
    public static final int DEFAULT_RESAMPLES = 2000;

    /** A 95 % interval of a mean, with the observed mean. */
    public record Interval(double mean, double low, double high) {
    }

    private Bootstrap() {
    }

    /** The 95 % percentile interval of the mean of {@code values}; a single value gives a point interval. */
    public static Interval mean95(double[] values, int resamples, long seed) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to bootstrap");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        double mean = Arrays.stream(values).sum() / values.length;
        if (values.length == 1) {
            return new Interval(mean, mean, mean);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        int n = values.length;
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[rng.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double low = means[(int) Math.floor(0.025 * (resamples - 1))];
        double high = means[(int) Math.ceil(0.975 * (resamples - 1))];
        return new Interval(mean, Math.min(low, mean), Math.max(high, mean));
    }
}
