package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;

class EvalConfigTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", "localhost:9092");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private static EvalConfig.Settings settings(String... kv) {
        return EvalConfig.settings(EvalConfig.registry().load(env(kv)));
    }

    @Test
    void defaultsFollowThePapersEvaluation() {
        Config c = EvalConfig.registry().load(env());
        EvalConfig.Settings s = EvalConfig.settings(c);
        assertEquals(List.of("toy_test"), s.datasets());
        assertEquals("greedy", s.decoding().label());
        assertEquals(AesWeights.PAPER, s.weights());
        assertEquals(0.01, s.promotion().accuracyTolerance());
        assertEquals(Optional.empty(), s.baselineDir());
        assertEquals("o1p-eval-0", s.consumerGroup(c));
        assertEquals("o1p-eval-0", s.transactionalId(c));
        assertEquals(org.o1pruner.model.sampling.DecodeBackend.AUTO, s.decodeBackend());
        assertEquals(org.o1pruner.model.sampling.DecodeBackend.LIBTORCH,
                settings("O1P_EVAL_DECODE_BACKEND", "libtorch").decodeBackend());
    }

    @Test
    void samplingAndWeightsAreConfigurable() {
        EvalConfig.Settings s = settings("O1P_EVAL_DECODING", "sample", "O1P_EVAL_SAMPLES", "4", "O1P_EVAL_TEMPERATURE",
                "0.7", "O1P_EVAL_TOP_P", "0.95", "O1P_EVAL_FAST_PROMPT", "true", "O1P_EVAL_AES_GAMMA", "3");
        assertEquals("fast-sample-t0.7-p0.95-n4", s.decoding().label());
        assertEquals(new AesWeights(1, 3, 3), s.weights());
    }

    @Test
    void instancesSplitTheDataSets() {
        String all = "math_test,gsm8k_test,gaokao_test";
        assertEquals(List.of("gaokao_test", "math_test"),
                settings("O1P_EVAL_DATASETS", all, "O1P_EVAL_INSTANCE_COUNT", "2").datasets());
        EvalConfig.Settings second = settings("O1P_EVAL_DATASETS", all, "O1P_EVAL_INSTANCE_COUNT", "2",
                "O1P_EVAL_INSTANCE_INDEX", "1");
        assertEquals(List.of("gsm8k_test"), second.datasets());
        Config c = EvalConfig.registry().load(env("O1P_EVAL_INSTANCE_COUNT", "2", "O1P_EVAL_INSTANCE_INDEX", "1"));
        assertEquals("o1p-eval-1", EvalConfig.settings(c).consumerGroup(c));
    }

    @Test
    void crossKeyMistakesNameTheirKeys() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings("O1P_EVAL_SAMPLES", "4", "O1P_EVAL_INSTANCE_INDEX", "2", "O1P_EVAL_INSTANCE_COUNT", "2"));
        assertTrue(e.getMessage().contains("O1P_EVAL_SAMPLES"), e.getMessage());
        assertTrue(e.getMessage().contains("O1P_EVAL_INSTANCE_INDEX"), e.getMessage());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> EvalConfig.registry().load(env("O1P_EVAL_PROMOTION_TOLERANCE", "2", "O1P_EVAL_DECODING", "beam")));
        assertTrue(bad.getMessage().contains("O1P_EVAL_PROMOTION_TOLERANCE"), bad.getMessage());
        assertTrue(bad.getMessage().contains("O1P_EVAL_DECODING"), bad.getMessage());
    }
}
