package org.o1pruner.model.sampling;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

/**
 * Picks the next token from one row of logits: greedy, or temperature with top-k then top-p
 * truncation, and gives the chosen token's log-probability under the untouched distribution.
 *
 * <p>Pure and allocation-light: works on a slice {@code logits[offset, offset + vocab)} of a batch's
 * logits copied from the device. Top-p is exact without sorting the whole vocabulary: tokens above a
 * probability threshold are sorted first, and the threshold is lowered only when they do not reach
 * the requested mass (every excluded token is less likely than every included one).
 */
public final class TokenSampler {
    private TokenSampler() {}

    /** Index of the largest logit (the first on ties). */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float max = logits[offset];
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > max) {
                max = logits[offset + i];
                best = i;
            }
        }
        return best;
    }

    /** log softmax of the untouched logits at {@code token}, computed in double. */
    public static double logProb(float[] logits, int offset, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return logits[offset + token] - max - Math.log(sum);
    }

    /**
     * The distribution sampling draws from after temperature, top-k and top-p, as probabilities over
     * the vocabulary (zeros for truncated tokens); greedy gives a one-hot. For tests and diagnostics.
     */
    public static double[] truncatedDistribution(float[] logits, int offset, int vocab, SamplingParams p) {
        double[] out = new double[vocab];
        if (p.greedy()) {
            out[argmax(logits, offset, vocab)] = 1;
            return out;
        }
        double[] w = new double[vocab];
        int[] kept = keep(logits, offset, vocab, p, w);
        double total = 0;
        for (int i : kept) {
            total += w[i];
        }
        for (int i : kept) {
            out[i] = w[i] / total;
        }
        return out;
    }

    /**
     * Draws the next token.
     *
     * @param scratch a reusable buffer of at least {@code vocab} doubles
     */
    public static int sample(float[] logits, int offset, int vocab, SamplingParams p, RandomGenerator rng, double[] scratch) {
        if (p.greedy()) {
            return argmax(logits, offset, vocab);
        }
        if (p.topK() == 0 && p.topP() >= 1.0) {
            return sampleUntruncated(logits, offset, vocab, p.temperature(), rng, scratch);
        }
        int[] kept = keep(logits, offset, vocab, p, scratch);
        double total = 0;
        for (int i : kept) {
            total += scratch[i];
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int i : kept) {
            acc += scratch[i];
            if (u < acc) {
                return i;
            }
        }
        return kept[kept.length - 1];
    }

    /** Inverse-CDF draw over the whole vocabulary in id order: no sorting when nothing is truncated. */
    private static int sampleUntruncated(float[] logits, int offset, int vocab, double temperature, RandomGenerator rng, double[] w) {
        double invT = 1.0 / temperature;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            w[i] = Math.exp((logits[offset + i] - max) * invT);
            total += w[i];
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (w[i] > 0) {
                acc += w[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Fills {@code w[i] = exp((logit_i - max) / T)} and returns the kept token ids, most likely first
     * (ties: lower id first).
     */
    private static int[] keep(float[] logits, int offset, int vocab, SamplingParams p, double[] w) {
        double invT = 1.0 / p.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            w[i] = Math.exp((logits[offset + i] - max) * invT);
            total += w[i];
        }
        int[] candidates;
        double candidateMass;
        if (p.topK() > 0 && p.topK() < vocab) {
            candidates = topK(w, vocab, p.topK());
            candidateMass = 0;
            for (int i : candidates) {
                candidateMass += w[i];
            }
        } else {
            candidates = null;
            candidateMass = total;
        }
        if (p.topP() >= 1.0) {
            return candidates != null ? candidates : sortedAbove(w, vocab, -1);
        }
        double target = p.topP() * candidateMass;
        if (candidates != null) {
            return prefixReaching(candidates, w, target);
        }
        // all weights are <= 1 (the max has weight exactly 1); try thresholds from high to none
        for (double threshold = 1e-3; ; threshold *= 1e-3) {
            boolean last = threshold < 1e-300;
            int[] sorted = sortedAbove(w, vocab, last ? -1 : threshold);
            double mass = 0;
            for (int i : sorted) {
                mass += w[i];
            }
            if (mass >= target || last) {
                return prefixReaching(sorted, w, target);
            }
        }
    }

    /** The shortest prefix of {@code sorted} whose weight reaches {@code target} (at least one). */
    private static int[] prefixReaching(int[] sorted, double[] w, double target) {
        double acc = 0;
        for (int n = 0; n < sorted.length; n++) {
            acc += w[sorted[n]];
            if (acc >= target) {
                return Arrays.copyOf(sorted, n + 1);
            }
        }
        return sorted;
    }

    /** Ids with weight above {@code threshold}, by weight descending then id ascending. */
    private static int[] sortedAbove(double[] w, int vocab, double threshold) {
        int n = 0;
        Integer[] ids = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            if (w[i] > threshold) {
                ids[n++] = i;
            }
        }
        Integer[] sel = Arrays.copyOf(ids, n);
        Arrays.sort(sel, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : Integer.compare(a, b));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sel[i];
        }
        return out;
    }

    /** The k heaviest ids, by weight descending then id ascending. */
    private static int[] topK(double[] w, int vocab, int k) {
        // min-heap on (weight, -id): the root is the weakest of the kept
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1,
                (a, b) -> w[a] != w[b] ? Double.compare(w[a], w[b]) : Integer.compare(b, a));
        for (int i = 0; i < vocab; i++) {
            if (heap.size() < k) {
                heap.add(i);
            } else {
                int weakest = heap.peek();
                if (w[i] > w[weakest]) {
                    heap.poll();
                    heap.add(i);
                }
            }
        }
        Integer[] sel = heap.toArray(new Integer[0]);
        Arrays.sort(sel, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : Integer.compare(a, b));
        int[] out = new int[sel.length];
        for (int i = 0; i < sel.length; i++) {
            out[i] = sel[i];
        }
        return out;
    }
}
