package org.o1pruner.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
    /** Softmax probabilities at T=1: 0.4, 0.25, 0.15, 0.1, 0.05, 0.03, 0.02 (ids shuffled). */
    private static final double[] P = {0.1, 0.25, 0.02, 0.4, 0.05, 0.15, 0.03};
    private static final float[] LOGITS = new float[P.length];

    static {
        for (int i = 0; i < P.length; i++) {
            LOGITS[i] = (float) Math.log(P[i]) + 3f; // a shift must not matter
        }
    }

    private static SamplingParams params(double t, double topP, int topK) {
        return new SamplingParams(t, topP, topK, 10, List.of(), 0);
    }

    @Test
    void truncatedDistributionsMatchHandComputation() {
        // top-p 0.8 at T=1: 0.4 + 0.25 + 0.15 = 0.8 reaches the mass with ids 3, 1, 5
        assertArrayEquals(new double[] {0, 0.25 / 0.8, 0, 0.4 / 0.8, 0, 0.15 / 0.8, 0},
                TokenSampler.truncatedDistribution(LOGITS, 0, 7, params(1, 0.8, 0)), 1e-6);
        // top-p 0.7: 0.4 + 0.25 = 0.65 < 0.7, so 0.15 joins
        assertArrayEquals(new double[] {0, 0.25 / 0.8, 0, 0.4 / 0.8, 0, 0.15 / 0.8, 0},
                TokenSampler.truncatedDistribution(LOGITS, 0, 7, params(1, 0.7, 0)), 1e-6);
        // top-k 2
        assertArrayEquals(new double[] {0, 0.25 / 0.65, 0, 0.4 / 0.65, 0, 0, 0},
                TokenSampler.truncatedDistribution(LOGITS, 0, 7, params(1, 1, 2)), 1e-6);
        // top-k 4 then top-p 0.5 of the renormalised 0.9: 0.4/0.9 = 0.444 < 0.5, so 0.25 joins
        assertArrayEquals(new double[] {0, 0.25 / 0.65, 0, 0.4 / 0.65, 0, 0, 0},
                TokenSampler.truncatedDistribution(LOGITS, 0, 7, params(1, 0.5, 4)), 1e-6);
        // temperature 0.5 squares the probabilities before normalising
        double z = 0;
        for (double p : P) {
            z += p * p;
        }
        double[] t = TokenSampler.truncatedDistribution(LOGITS, 0, 7, params(0.5, 1, 0));
        for (int i = 0; i < 7; i++) {
            assertEquals(P[i] * P[i] / z, t[i], 1e-6);
        }
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 0},
                TokenSampler.truncatedDistribution(LOGITS, 0, 7, SamplingParams.greedy(5)), 0);
    }

    /** Draws with a fixed seed; Pearson's chi-square against the truncated distribution. */
    private static void assertFrequenciesMatch(SamplingParams p) {
        double[] expected = TokenSampler.truncatedDistribution(LOGITS, 0, 7, p);
        int n = 40_000;
        int[] counts = new int[7];
        SplittableRandom rng = new SplittableRandom(42);
        double[] scratch = new double[7];
        for (int i = 0; i < n; i++) {
            counts[TokenSampler.sample(LOGITS, 0, 7, p, rng, scratch)]++;
        }
        double chi2 = 0;
        int df = -1;
        for (int i = 0; i < 7; i++) {
            if (expected[i] == 0) {
                assertEquals(0, counts[i], "token " + i + " is truncated but was drawn, " + p);
            } else {
                double e = expected[i] * n;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
                df++;
            }
        }
        // 99.9th percentile of chi-square with up to 6 degrees of freedom is at most 22.5
        double[] crit = {10.83, 13.82, 16.27, 18.47, 20.52, 22.46};
        assertTrue(df == 0 || chi2 < crit[df - 1], "chi2 " + chi2 + " with " + df + " df for " + p);
    }

    @Test
    void samplingFrequenciesMatchTheTruncatedDistribution() {
        assertFrequenciesMatch(params(1, 1, 0));
        assertFrequenciesMatch(params(1, 0.8, 0));
        assertFrequenciesMatch(params(1, 1, 3));
        assertFrequenciesMatch(params(0.5, 0.8, 0));
        assertFrequenciesMatch(params(1.3, 0.9, 5));
    }

    @Test
    void logProbIsOfTheUntouchedDistribution() {
        for (int i = 0; i < 7; i++) {
            assertEquals(Math.log(P[i]), TokenSampler.logProb(LOGITS, 0, 7, i), 1e-6);
        }
        float[] two = new float[14];
        System.arraycopy(LOGITS, 0, two, 7, 7);
        assertEquals(Math.log(0.4), TokenSampler.logProb(two, 7, 7, 3), 1e-6);
        assertEquals(3, TokenSampler.argmax(two, 7, 7));
    }

    @Test
    void largeVocabularyTopPFindsTheSameNucleusAsAFullSort() {
        int v = 50_000;
        float[] logits = new float[v];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < v; i++) {
            logits[i] = (float) (r.nextGaussian() * 2);
        }
        SamplingParams p = params(1, 0.95, 0);
        double[] got = TokenSampler.truncatedDistribution(logits, 0, v, p);
        // reference: full sort
        Integer[] ids = new Integer[v];
        for (int i = 0; i < v; i++) {
            ids[i] = i;
        }
        java.util.Arrays.sort(ids, (a, b) -> Float.compare(logits[b], logits[a]));
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l);
        }
        double acc = 0;
        int kept = 0;
        while (acc < 0.95 * z) {
            acc += Math.exp(logits[ids[kept++]]);
        }
        int nonzero = 0;
        for (double g : got) {
            nonzero += g > 0 ? 1 : 0;
        }
        assertEquals(kept, nonzero);
        for (int i = 0; i < kept; i++) {
            assertTrue(got[ids[i]] > 0);
        }
    }

    @Property(tries = 200)
    void truncationKeepsTheSmallestMostLikelySetReachingTheMass(
            @ForAll @Size(min = 2, max = 40) List<@FloatRange(min = -8, max = 8) Float> raw,
            @ForAll @DoubleRange(min = 0.05, max = 1.0) double topP,
            @ForAll @IntRange(min = 0, max = 40) int topK,
            @ForAll @DoubleRange(min = 0.2, max = 2.0) double temperature) {
        float[] logits = new float[raw.size()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = raw.get(i);
        }
        SamplingParams p = params(temperature, topP, topK);
        double[] d = TokenSampler.truncatedDistribution(logits, 0, logits.length, p);
        double sum = 0;
        int kept = 0;
        double minKept = Double.MAX_VALUE;
        double maxDropped = -Double.MAX_VALUE;
        for (int i = 0; i < d.length; i++) {
            sum += d[i];
            if (d[i] > 0) {
                kept++;
                minKept = Math.min(minKept, logits[i]);
            } else {
                maxDropped = Math.max(maxDropped, logits[i]);
            }
        }
        assertEquals(1.0, sum, 1e-9);
        assertTrue(kept >= 1);
        if (topK > 0) {
            assertTrue(kept <= topK);
        }
        assertTrue(minKept >= maxDropped, "a dropped token is likelier than a kept one");
        // the draws stay inside the kept set
        SplittableRandom rng = new SplittableRandom(1);
        double[] scratch = new double[logits.length];
        for (int i = 0; i < 50; i++) {
            assertTrue(d[TokenSampler.sample(logits, 0, logits.length, p, rng, scratch)] > 0);
        }
    }
}
