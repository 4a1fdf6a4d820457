package org.o1pruner.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.toyworld.ToyVocabulary;

/** Tiny engine models over the toy vocabulary for eval tests, and the repository's data folder. */
final class ToyModels {
    private ToyModels() {}

    /** A tiny Qwen2 over the toy vocabulary. */
    static ModelConfig config() {
        ToyVocabulary v = ToyVocabulary.get();
        return ModelConfig.tiny(v.size(), 32, 2).toBuilder()
                .optMaxPositionEmbeddings(1024)
                .optEosTokenIds(List.of(v.eosId()))
                .build();
    }

    /**
     * Writes a model directory with the toy tokenizer: random weights, or, when {@code terse},
     * weights rewired so that greedy decoding ends every answer at once (the residual stream is
     * just the token embedding, the final norm keeps one positive coordinate, and the head's
     * weight on it is largest for the end-of-sequence token): a model as accurate as a random
     * one and as short as possible.
     */
    static Path write(Path dir, long seed, boolean terse) {
        ToyVocabulary v = ToyVocabulary.get();
        ModelConfig c = config();
        try (CausalLM m = CausalLM.random(c, seed, Device.cpu())) {
            if (terse) {
                Map<String, NDArray> p = m.parameters();
                for (int i = 0; i < c.numLayers(); i++) {
                    p.get("model.layers." + i + ".self_attn.o_proj.weight").muli(0);
                    p.get("model.layers." + i + ".mlp.down_proj.weight").muli(0);
                }
                NDArray embed = p.get("model.embed_tokens.weight");
                embed.set(new NDIndex(":, 0"), 1f);
                NDArray norm = p.get("model.norm.weight");
                norm.muli(0);
                norm.set(new NDIndex("0"), 1f);
                NDArray head = p.get("lm_head.weight");
                head.set(new NDIndex(":, 0"), 1f);
                head.set(new NDIndex(v.eosId() + ", 0"), 10f);
            }
            m.save(dir, Map.of("tokenizer.json", v.tokenizerJson(), "tokenizer_config.json", v.tokenizerConfigJson()));
        }
        return dir;
    }

    /** Walks up from the working directory to the repository's {@code data} folder. */
    static Path dataDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data").resolve("math_test.jsonl"))) {
                return p.resolve("data");
            }
        }
        throw new IllegalStateException("no data/math_test.jsonl above " + Path.of("").toAbsolutePath());
    }
}
