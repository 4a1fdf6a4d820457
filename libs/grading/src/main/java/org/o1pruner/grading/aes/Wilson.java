package org.o1pruner.grading.aes;

/**
 * The Wilson score interval of a binomial proportion: the confidence interval reported with
 * every accuracy. Unlike the normal approximation it stays inside [0, 1] and is not empty at
 * 0 % or 100 %, which matters for small test sets and weak models.
 *
 * <p>It assumes the graded solutions are independent trials; with several samples per problem
 * they are correlated, so the interval is then somewhat too narrow.
 */
public final class Wilson {
    /** The two-sided 95 % normal quantile. */
    public static final double Z95 = 1.959963984540054;

    private Wilson() {}

    /**
     * A confidence interval {@code [low, high]}, with {@code 0 ≤ low ≤ p ≤ high ≤ 1} where
     * {@code p} is the observed proportion.
     */
    public record Interval(double low, double high) {
        public Interval {
            if (!(low >= 0 && low <= high && high <= 1)) {
                throw new IllegalArgumentException("not an interval in [0, 1]: [" + low + ", " + high + "]");
            }
        }

        /** Whether {@code p} lies inside. */
        public boolean contains(double p) {
            return p >= low && p <= high;
        }
    }

    /** The 95 % interval of {@code successes} out of {@code trials}. */
    public static Interval interval95(long successes, long trials) {
        return interval(successes, trials, Z95);
    }

    /**
     * The interval at normal quantile {@code z}.
     *
     * @param successes 0 ≤ successes ≤ trials
     * @param trials    ≥ 0; with no trials the interval is [0, 0] (the accuracy of nothing is
     *                  reported as 0 on the wire)
     * @param z         quantile, finite and > 0 (1.96 for 95 %)
     */
    public static Interval interval(long successes, long trials, double z) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
        if (!(z > 0) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("z must be finite and > 0, got " + z);
        }
        if (trials == 0) {
            return new Interval(0, 0);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        double low = Math.max(0, Math.min(p, centre - half));
        double high = Math.min(1, Math.max(p, centre + half));
        if (successes == 0) {
            low = 0;
        }
        if (successes == trials) {
            high = 1;
        }
        return new Interval(low, high);
    }
}
