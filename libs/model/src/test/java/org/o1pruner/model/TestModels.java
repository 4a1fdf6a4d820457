package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models with non-trivial norms and biases, so every parameter matters in tests. */
final class TestModels {

    private TestModels() {}

    /** Qwen2 with grouped-query attention (4 query heads over 2 KV heads) and q/k/v bias. */
    static ModelConfig qwenGqa() {
        return ModelConfig.tiny(64, 32, 2);
    }

    /** Llama, tied embeddings, no bias, head_dim given explicitly (not hidden/heads). */
    static ModelConfig llamaTied() {
        return ModelConfig.builder()
                .setArchitecture(ModelConfig.LLAMA)
                .setVocabSize(50)
                .setHiddenSize(24)
                .setIntermediateSize(40)
                .setNumLayers(2)
                .setNumHeads(3)
                .optNumKvHeads(3)
                .optHeadDim(10)
                .optRopeTheta(500.0)
                .optRmsNormEps(1e-5)
                .optTieWordEmbeddings(true)
                .optMaxPositionEmbeddings(128)
                .optBosTokenId(1)
                .optEosTokenIds(List.of(2, 3))
                .build();
    }

    static List<ModelConfig> all() {
        return List.of(qwenGqa(), llamaTied());
    }

    /** A random model whose norm weights and biases are perturbed away from 1 and 0. */
    static CausalLM perturbed(ModelConfig config, long seed) {
        CausalLM model = CausalLM.random(config, seed, Device.cpu());
        Random rng = new Random(seed ^ 0x5eed);
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray p = e.getValue();
            float std = e.getKey().endsWith("norm.weight") ? 0.2f
                    : e.getKey().endsWith(".bias") ? 0.1f : 0.08f;
            float[] noise = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) rng.nextGaussian() * std;
            }
            try (NDArray n = p.getManager().create(noise, p.getShape())) {
                p.addi(n);
            }
        }
        return model;
    }

    static long[][] randomTokens(Random rng, int batch, int length, int vocab) {
        long[][] ids = new long[batch][length];
        for (long[] row : ids) {
            for (int i = 0; i < length; i++) {
                row[i] = rng.nextInt(vocab);
            }
        }
        return ids;
    }

    static NDArray ones(NDManager m, int batch, int length) {
        long[][] mask = new long[batch][length];
        for (long[] row : mask) {
            java.util.Arrays.fill(row, 1L);
        }
        return m.create(mask);
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
