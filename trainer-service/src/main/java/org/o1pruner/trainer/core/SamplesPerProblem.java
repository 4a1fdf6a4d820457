package org.o1pruner.trainer.core;

import java.util.Locale;

/**
 * How many of a problem's K samples the length-harmonizing objective trains on (all K still feed
 * the reference means): the paper's code trains on 2; {@code all} trains on every sample.
 * Selection keeps the samples with {@code sampleIndex < n}: the sampler draws them independently,
 * so the first n are an unbiased choice that needs no waiting for the rest of the group.
 *
 * @param n samples per problem, or {@link Integer#MAX_VALUE} for all
 */
public record SamplesPerProblem(int n) {
    /** Every sample. */
    public static final SamplesPerProblem ALL = new SamplesPerProblem(Integer.MAX_VALUE);

    /** @throws IllegalArgumentException unless n ≥ 1 */
    public SamplesPerProblem {
        if (n < 1) {
            throw new IllegalArgumentException("samples per problem must be >= 1 or 'all', got " + n);
        }
    }

    /** {@code all} or a positive integer. */
    public static SamplesPerProblem parse(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return ALL;
        }
        try {
            return new SamplesPerProblem(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("samples per problem must be a positive integer or 'all', got '" + raw + "'");
        }
    }

    /** Whether the sample with this index is trained. */
    public boolean selects(int sampleIndex) {
        return sampleIndex < n;
    }

    @Override
    public String toString() {
        return n == Integer.MAX_VALUE ? "all" : Integer.toString(n);
    }
}
