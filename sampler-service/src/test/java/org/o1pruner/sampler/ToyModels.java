package org.o1pruner.sampler;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.toyworld.ToyVocabulary;

/** Test fixtures: tiny random models that speak the toy world's tokenizer, saved as checkpoints. */
final class ToyModels {
    private ToyModels() {
    }

    static ModelConfig config() {
        ToyVocabulary v = ToyVocabulary.get();
        return ModelConfig.tiny(v.size(), 32, 2).toBuilder()
                .optEosTokenIds(List.of(v.eosId()))
                .optMaxPositionEmbeddings(512)
                .build();
    }

    /** Writes a random tiny model with the toy tokenizer to {@code dir} (atomically, with a manifest). */
    static Path writeRandom(Path dir, long seed) {
        ToyVocabulary v = ToyVocabulary.get();
        try (CausalLM m = CausalLM.random(config(), seed, Device.cpu())) {
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }

    /** Teacher-forced log-probs of {@code response} after {@code prompt}, recomputed without cache or padding. */
    static float[] rescore(CausalLM model, int[] prompt, int[] response) {
        int n = prompt.length + response.length;
        long[] ids = new long[n];
        long[] mask = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i < prompt.length ? prompt[i] : response[i - prompt.length];
            mask[i] = 1;
        }
        float[] out = new float[response.length];
        try (GradMode.Scope g = GradMode.disabled(); NDManager m = model.manager().newSubManager()) {
            NDArray logits = model.forward(m.create(ids, new Shape(1, n)), m.create(mask, new Shape(1, n)), null);
            float[] lp = logits.logSoftmax(-1).toFloatArray();
            int vocab = model.config().vocabSize();
            for (int j = 0; j < response.length; j++) {
                int pos = prompt.length - 1 + j;
                out[j] = lp[pos * vocab + response[j]];
            }
        }
        return out;
    }
}
