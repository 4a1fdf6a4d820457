package org.o1pruner.demo;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.toyworld.ToyVocabulary;

/** A random tiny Qwen2 over the toy vocabulary, saved with the toy tokenizer: a fast stand-in reference model. */
final class TinyModel {
    private TinyModel() {}

    static Path write(Path dir, long seed) {
        ToyVocabulary v = ToyVocabulary.get();
        ModelConfig c = ModelConfig.tiny(v.size(), 32, 2).toBuilder()
                .optMaxPositionEmbeddings(512)
                .optEosTokenIds(List.of(v.eosId()))
                .build();
        try (CausalLM m = CausalLM.random(c, seed, Device.cpu())) {
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }
}
