package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.o1pruner.runtime.ConfigException;

class SamplerConfigTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("O1P_KAFKA_BOOTSTRAP", "localhost:9092");
        m.put("O1P_SAMPLER_MODEL_DIR", "/models/ref");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreThePapersPreSamplingSettings() {
        SamplerConfig c = SamplerConfig.load(env());
        assertEquals(0.5, c.sampling().temperature());
        assertEquals(0.8, c.sampling().topP());
        assertEquals(0, c.sampling().topK());
        assertEquals(8192, c.sampling().maxNewTokens());
        assertEquals(List.of(), c.sampling().stopStrings());
        assertEquals(FollowMode.FIXED, c.follow());
        assertEquals(Path.of("/models/ref"), c.modelDir());
        assertEquals(Optional.empty(), c.maxDownstreamLag());
        assertEquals("o1p.prompts", c.inputTopic());
        assertEquals("o1p.samples", c.outputTopic());
        assertEquals(org.o1pruner.model.sampling.DecodeBackend.AUTO, c.decodeBackend());
    }

    @Test
    void valuesAreParsed() {
        SamplerConfig c = SamplerConfig.load(env("O1P_SAMPLER_FOLLOW", "latest-promoted", "O1P_SAMPLER_TEMPERATURE", "0",
                "O1P_SAMPLER_STOP", "</s>, END", "O1P_SAMPLER_BATCH_SIZE", "32", "O1P_SAMPLER_MAX_DOWNSTREAM_LAG", "500",
                "O1P_SAMPLER_POLICY_VERSION", "3", "O1P_SAMPLER_DECODE_BACKEND", "libtorch"));
        assertEquals(org.o1pruner.model.sampling.DecodeBackend.LIBTORCH, c.decodeBackend());
        assertEquals(FollowMode.LATEST_PROMOTED, c.follow());
        assertEquals(0.0, c.sampling().temperature());
        assertEquals(List.of("</s>", "END"), c.sampling().stopStrings());
        assertEquals(32, c.batchSize());
        assertEquals(Optional.of(500L), c.maxDownstreamLag());
        assertEquals(3, c.policyVersion());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SamplerConfig.load(env("O1P_SAMPLER_TOP_P", "1.5", "O1P_SAMPLER_FOLLOW", "sometimes")));
        assertTrue(e.getMessage().contains("O1P_SAMPLER_TOP_P"), e.getMessage());
        assertTrue(e.getMessage().contains("O1P_SAMPLER_FOLLOW"), e.getMessage());
        Map<String, String> noModel = env();
        noModel.remove("O1P_SAMPLER_MODEL_DIR");
        assertThrows(ConfigException.class, () -> SamplerConfig.load(noModel));
        assertThrows(ConfigException.class, () -> SamplerConfig.load(env("O1P_SAMPLER_DEVICE", "tpu")));
        ConfigException backend = assertThrows(ConfigException.class,
                () -> SamplerConfig.load(env("O1P_SAMPLER_DECODE_BACKEND", "cuda")));
        assertTrue(backend.getMessage().contains("O1P_SAMPLER_DECODE_BACKEND"), backend.getMessage());
    }
}
