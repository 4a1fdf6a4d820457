package org.o1pruner.trainer.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Running mean and standard deviation of clipped rewards (Welford's algorithm), used to
 * standardize the length-harmonizing advantage in a stream, where "over the training data" means
 * over every reward the trainer has seen so far. The statistics are part of the trainer's
 * checkpoint, so a restart standardizes exactly as an uninterrupted run would.
 *
 * <p>Immutable: {@link #add(double)} and {@link #merge(AdvantageStats)} return new values. The
 * standard deviation is the population one (divide by n), as a z-score over a data set is.
 *
 * @param count number of rewards seen
 * @param mean their mean (0 when count is 0)
 * @param m2 sum of squared deviations from the mean
 */
public record AdvantageStats(long count, double mean, double m2) {

    /** Standard deviations below this do not divide (a constant reward stream is only centred). */
    public static final double MIN_STD = 1e-6;

    private static final Pattern FIELD = Pattern.compile("\"(count|mean|m2)\"\\s*:\\s*([-+0-9.eEInfinityNa]+)");

    /** Validates the fields. */
    public AdvantageStats {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!Double.isFinite(mean) || !Double.isFinite(m2) || m2 < 0) {
            throw new IllegalArgumentException("mean and m2 must be finite and m2 >= 0, got " + mean + ", " + m2);
        }
        if (count == 0 && (mean != 0 || m2 != 0)) {
            throw new IllegalArgumentException("empty statistics must have mean 0 and m2 0");
        }
    }

    /** No rewards seen. */
    public static AdvantageStats empty() {
        return new AdvantageStats(0, 0, 0);
    }

    /** These statistics with one more value. */
    public AdvantageStats add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("reward must be finite, got " + x);
        }
        long n = count + 1;
        double delta = x - mean;
        double newMean = mean + delta / n;
        return new AdvantageStats(n, newMean, m2 + delta * (x - newMean));
    }

    /** These statistics with every value of {@code xs} added in order. */
    public AdvantageStats addAll(double[] xs) {
        AdvantageStats s = this;
        for (double x : xs) {
            s = s.add(x);
        }
        return s;
    }

    /** The statistics of both value sets together (Chan et al.'s parallel update). */
    public AdvantageStats merge(AdvantageStats other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double newMean = mean + delta * other.count / n;
        double newM2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        return new AdvantageStats(n, newMean, newM2);
    }

    /** Population variance (0 when empty). */
    public double variance() {
        return count == 0 ? 0 : m2 / count;
    }

    /** Population standard deviation. */
    public double std() {
        return Math.sqrt(variance());
    }

    /**
     * The z-score of {@code x}: {@code (x − mean) / std}, or {@code x − mean} while the standard
     * deviation is below {@link #MIN_STD} (e.g. after a single value).
     */
    public double standardize(double x) {
        double sd = std();
        return sd < MIN_STD ? x - mean : (x - mean) / sd;
    }

    /** A JSON object that {@link #fromJson(String)} reads back bit-exactly. */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"count\": %d, \"mean\": %s, \"m2\": %s}",
                count, Double.toString(mean), Double.toString(m2));
    }

    /**
     * Reads {@link #toJson()} output.
     *
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    public static AdvantageStats fromJson(String json) {
        Long count = null;
        Double mean = null;
        Double m2 = null;
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            try {
                switch (m.group(1)) {
                    case "count" -> count = Long.parseLong(m.group(2));
                    case "mean" -> mean = Double.parseDouble(m.group(2));
                    default -> m2 = Double.parseDouble(m.group(2));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("advantage statistics: bad number '" + m.group(2) + "'", e);
            }
        }
        if (count == null || mean == null || m2 == null) {
            throw new IllegalArgumentException("advantage statistics need count, mean and m2: " + json);
        }
        return new AdvantageStats(count, mean, m2);
    }
}
