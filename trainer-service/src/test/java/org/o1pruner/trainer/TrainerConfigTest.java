package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.SamplesPerProblem;

/** Trainer configuration: defaults from the paper, names, and bad values stopping start-up. */
class TrainerConfigTest {
    private static final Map<String, String> MINIMAL = Map.of("O1P_KAFKA_BOOTSTRAP", "localhost:9092",
            "O1P_TRAINER_MODEL_DIR", "/models/ref");

    @Test
    void defaultsFollowThePaper() {
        TrainerConfig.Settings s = TrainerConfig.Settings.from(TrainerConfig.registry().load(MINIMAL));
        assertEquals(Objective.LENGTH_HARMONIZING, s.objective());
        assertEquals(0.2, s.ppoEpsilon());
        assertEquals(0.1, s.dpoBeta());
        assertEquals(0.1, s.warmupFraction());
        assertEquals(10.0, s.gradClip());
        assertEquals(-2.0, s.advantageClipLow());
        assertEquals(4.0, s.advantageClipHigh());
        assertEquals(new SamplesPerProblem(2), s.samplesPerProblem());
        assertEquals(ReferenceSource.RECORDED, s.referenceSource());
        assertEquals(Path.of("/models/ref"), s.referenceDir());
        assertEquals("o1p-trainer", s.consumerGroup());
    }

    @Test
    void objectivesAndSourcesByName() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.put("O1P_TRAINER_OBJECTIVE", "length-harmonizing-token");
        env.put("O1P_TRAINER_REFERENCE_SOURCE", "frozen");
        env.put("O1P_TRAINER_SAMPLES_PER_PROBLEM", "all");
        env.put("O1P_TRAINER_REFERENCE_DIR", "/models/other");
        TrainerConfig.Settings s = TrainerConfig.Settings.from(TrainerConfig.registry().load(env));
        assertEquals(Objective.LENGTH_HARMONIZING_TOKEN, s.objective());
        assertEquals(ReferenceSource.FROZEN, s.referenceSource());
        assertEquals(SamplesPerProblem.ALL, s.samplesPerProblem());
        assertEquals(Path.of("/models/other"), s.referenceDir());
        assertEquals("all", s.describe().get("samples_per_problem"));
    }

    @Test
    void badValuesNameTheKey() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.put("O1P_TRAINER_OBJECTIVE", "ppo");
        env.put("O1P_TRAINER_PPO_EPSILON", "1.5");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainerConfig.registry().load(env));
        assertTrue(e.getMessage().contains("O1P_TRAINER_OBJECTIVE"), e.getMessage());
        assertTrue(e.getMessage().contains("O1P_TRAINER_PPO_EPSILON"), e.getMessage());
        assertThrows(ConfigException.class, () -> TrainerConfig.registry().load(Map.of("O1P_KAFKA_BOOTSTRAP", "h:1")));
    }

    @Test
    void clipBoundsMustBeOrdered() {
        Map<String, String> env = new java.util.HashMap<>(MINIMAL);
        env.put("O1P_TRAINER_ADVANTAGE_CLIP_LOW", "5");
        assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.Settings.from(TrainerConfig.registry().load(env)));
    }
}
