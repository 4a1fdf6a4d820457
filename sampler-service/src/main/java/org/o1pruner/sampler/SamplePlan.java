package org.o1pruner.sampler;

import java.util.ArrayList;
import java.util.List;

/**
 * How one poll batch of prompts becomes engine batches: prompts × K are flattened, prompt by
 * prompt (rows of one prompt share a length, so padding stays small), and cut into batches of
 * at most {@code batchSize} sequences, so a problem with a small K shares a batch with the next
 * problem and the engine stays full. Pure.
 */
public final class SamplePlan {

    /** One sequence to generate: sample {@code sampleIndex} of prompt {@code prompt}. */
    public record Job(int prompt, int sampleIndex) {
    }

    private SamplePlan() {
    }

    /**
     * @param ks        K of each prompt, each ≥ 1
     * @param batchSize sequences per engine batch, ≥ 1
     * @return every (prompt, sample) exactly once, in prompt-major order, in batches of at most
     *     {@code batchSize}; only the last batch may be smaller
     */
    public static List<List<Job>> batches(int[] ks, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        List<List<Job>> out = new ArrayList<>();
        List<Job> current = new ArrayList<>(batchSize);
        for (int p = 0; p < ks.length; p++) {
            if (ks[p] < 1) {
                throw new IllegalArgumentException("k of prompt " + p + " must be >= 1, got " + ks[p]);
            }
            for (int s = 0; s < ks[p]; s++) {
                current.add(new Job(p, s));
                if (current.size() == batchSize) {
                    out.add(List.copyOf(current));
                    current.clear();
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(List.copyOf(current));
        }
        return out;
    }

    /**
     * A per-batch seed derived from the base seed and a running batch counter (SplitMix64
     * finaliser), so consecutive batches draw independent streams.
     */
    public static long batchSeed(long baseSeed, long batchCounter) {
        long z = baseSeed + 0x9E3779B97F4A7C15L * (batchCounter + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
