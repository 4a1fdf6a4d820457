package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape of a published Qwen2.5-7B-style config.json. */
    static final String QWEN = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0,
             "bos_token_id": 151643, "eos_token_id": 151645, "hidden_act": "silu",
             "hidden_size": 3584, "initializer_range": 0.02, "intermediate_size": 18944,
             "max_position_embeddings": 32768, "max_window_layers": 28, "model_type": "qwen2",
             "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4,
             "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000.0,
             "sliding_window": 131072, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
             "transformers_version": "4.43.1", "use_cache": true, "use_sliding_window": false,
             "vocab_size": 152064}""";

    @TempDir Path tmp;

    @Test
    void readsAQwen2Config() throws IOException {
        Files.writeString(tmp.resolve("config.json"), QWEN);
        ModelConfig c = ModelConfig.read(tmp.resolve("config.json"));
        assertEquals(ModelConfig.QWEN2, c.architecture());
        assertEquals(152064, c.vocabSize());
        assertEquals(128, c.headDim());
        assertEquals(4, c.numKvHeads());
        assertEquals(1e6, c.ropeTheta());
        assertTrue(c.attentionBias());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(151643, c.bosTokenId());
        assertEquals(List.of(151645), c.eosTokenIds());
        assertEquals("bfloat16", c.dtype());
        assertTrue(c.parameterCount() > 7_000_000_000L && c.parameterCount() < 8_000_000_000L,
                "Qwen2.5-7B has about 7.6 B parameters, got " + c.parameterCount());

        c.write(tmp.resolve("out.json"));
        ObjectNode written = (ObjectNode) JSON.readTree(tmp.resolve("out.json").toFile());
        assertEquals(28, written.get("max_window_layers").asInt(), "unknown keys are kept");
        assertEquals("qwen2", written.get("model_type").asText());
        assertEquals(c, ModelConfig.read(tmp.resolve("out.json")));
    }

    @Test
    void readsALlamaConfigWithSeveralEosIdsAndNoBias() throws IOException {
        Files.writeString(tmp.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "vocab_size": 128256, "hidden_size": 2048,
                 "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "head_dim": 64, "rope_theta": 500000.0,
                 "rms_norm_eps": 1e-05, "tie_word_embeddings": true, "attention_bias": false,
                 "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
                 "max_position_embeddings": 8192, "torch_dtype": "float32"}""");
        ModelConfig c = ModelConfig.read(tmp.resolve("config.json"));
        assertEquals(ModelConfig.LLAMA, c.architecture());
        assertFalse(c.attentionBias());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(c, ModelConfig.fromJson(c.toJson()));
    }

    @Test
    void unsupportedOrInvalidConfigsNameTheProblem() throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree(QWEN);
        ObjectNode scaled = base.deepCopy();
        scaled.putObject("rope_scaling").put("type", "yarn").put("factor", 4.0);
        assertMessage("rope_scaling", () -> ModelConfig.fromJson(scaled));
        ObjectNode gqa = base.deepCopy();
        gqa.put("num_key_value_heads", 5);
        assertMessage("num_key_value_heads", () -> ModelConfig.fromJson(gqa));
        ObjectNode missing = base.deepCopy();
        missing.remove("hidden_size");
        assertMessage("hidden_size", () -> ModelConfig.fromJson(missing));
        ObjectNode other = base.deepCopy();
        other.putArray("architectures").add("MistralForCausalLM");
        assertMessage("MistralForCausalLM", () -> ModelConfig.fromJson(other));
        ObjectNode sliding = base.deepCopy();
        sliding.put("use_sliding_window", true);
        assertMessage("sliding", () -> ModelConfig.fromJson(sliding));
        assertMessage("bias", () -> ModelConfig.builder().setVocabSize(8).setHiddenSize(8)
                .setIntermediateSize(8).setNumLayers(1).setNumHeads(2).optAttentionBias(false).build());
        Files.writeString(tmp.resolve("bad.json"), "[1, 2]");
        assertMessage("bad.json", () -> ModelConfig.read(tmp.resolve("bad.json")));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }

    @Test
    void tinyPresetsAreValidQwen2Models() {
        ModelConfig c = ModelConfig.tiny();
        assertEquals(ModelConfig.QWEN2, c.architecture());
        assertEquals(2, c.numKvHeads());
        assertNull(c.bosTokenId());
        assertEquals(CausalLM.expectedShapes(c).values().stream().mapToLong(s -> s.size()).sum(),
                c.parameterCount());
    }

    @Property(tries = 200)
    void jsonRoundTripPreservesEveryField(@ForAll @IntRange(min = 1, max = 8) int kv,
            @ForAll @IntRange(min = 1, max = 4) int groups, @ForAll @IntRange(min = 1, max = 16) int halfDim,
            @ForAll boolean llama, @ForAll boolean tied, @ForAll @IntRange(min = 2, max = 5000) int vocab) {
        ModelConfig c = ModelConfig.builder()
                .setArchitecture(llama ? ModelConfig.LLAMA : ModelConfig.QWEN2)
                .setVocabSize(vocab).setHiddenSize(kv * groups * 2 * halfDim)
                .setIntermediateSize(3 * halfDim).setNumLayers(groups).setNumHeads(kv * groups)
                .optNumKvHeads(kv).optTieWordEmbeddings(tied).optEosTokenIds(List.of(vocab - 1))
                .optRopeTheta(1000.0 + vocab).build();
        ModelConfig back = ModelConfig.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(c.toString(), back.toString());
        assertEquals(c.parameterCount(), back.parameterCount());
    }
}
