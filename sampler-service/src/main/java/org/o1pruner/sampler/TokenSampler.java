package org.o1pruner.sampler;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the next token of one row from its log-probs: greedy at temperature 0, otherwise
 * softmax(logp / T) truncated to the top-k tokens and then to the smallest set whose mass
 * reaches top-p, renormalised. Pure apart from the given random source. The caller records
 * the <em>unmodified</em> log-prob of the drawn token, never the truncated one.
 */
public final class TokenSampler {
    private TokenSampler() {
    }

    /**
     * @param logProbs log-probs of the row over the vocabulary, read from {@code offset}
     * @param vocab    vocabulary size (entries read)
     */
    public static int draw(float[] logProbs, int offset, int vocab, SamplingSettings s, SplittableRandom rng) {
        if (s.temperature() == 0) {
            return argmax(logProbs, offset, vocab);
        }
        double invT = 1.0 / s.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logProbs[offset + i]);
        }
        double[] w = new double[vocab];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            double x = Math.exp((logProbs[offset + i] - max) * invT);
            w[i] = x;
            total += x;
        }
        boolean truncate = s.topK() > 0 && s.topK() < vocab || s.topP() < 1.0;
        if (!truncate) {
            return pick(w, total, rng);
        }
        Integer[] order = new Integer[vocab];
        int candidates = 0;
        // Tokens far below the peak cannot matter for top-p ≤ 1 − 1e-12 of the mass; skip sorting them.
        double floor = total * 1e-12 / vocab;
        for (int i = 0; i < vocab; i++) {
            if (w[i] > floor) {
                order[candidates++] = i;
            }
        }
        Integer[] sorted = Arrays.copyOf(order, candidates);
        Arrays.sort(sorted, (a, b) -> Double.compare(w[b], w[a]));
        int keep = s.topK() > 0 ? Math.min(s.topK(), sorted.length) : sorted.length;
        double keptMass = 0;
        for (int i = 0; i < keep; i++) {
            keptMass += w[sorted[i]];
        }
        if (s.topP() < 1.0) {
            double cum = 0;
            int n = 0;
            while (n < keep) {
                cum += w[sorted[n]];
                n++;
                if (cum >= s.topP() * keptMass) {
                    break;
                }
            }
            keep = n;
        }
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            mass += w[sorted[i]];
        }
        double u = rng.nextDouble() * mass;
        for (int i = 0; i < keep; i++) {
            u -= w[sorted[i]];
            if (u < 0) {
                return sorted[i];
            }
        }
        return sorted[keep - 1];
    }

    private static int pick(double[] w, double total, SplittableRandom rng) {
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                last = i;
                u -= w[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    static int argmax(float[] a, int offset, int n) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (a[offset + i] > bestValue) {
                bestValue = a[offset + i];
                best = i;
            }
        }
        return best;
    }
}
