package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.trainer.core.SamplesPerProblem;

class DemoConfigTest {

    @Test
    void defaultsAreTheFullRun() {
        DemoConfig.Settings s = DemoConfig.load(Map.of());
        assertFalse(s.quick());
        assertEquals(400, s.problems());
        assertEquals(8, s.k());
        assertEquals(2.0, s.lambda());
        assertEquals(1e-5, s.lr());
        assertEquals(2, s.epochs());
        assertEquals(SamplesPerProblem.ALL, s.samplesPerProblem());
        assertEquals(1000, s.evalProblems());
        assertEquals(Path.of("report"), s.reportDir());
        assertEquals(9400, s.httpPort());
        assertTrue(s.modelDir().isEmpty());
        assertEquals(32, s.stepItems());
    }

    @Test
    void quickPresetFillsOnlyTheKeysNotSet() {
        DemoConfig.Settings s = DemoConfig.load(Map.of("O1P_DEMO_QUICK", "true", "O1P_DEMO_PROBLEMS", "10"));
        assertTrue(s.quick());
        assertEquals(10, s.problems(), "explicit key wins over the preset");
        assertEquals(4, s.k());
        assertEquals(48, s.evalProblems());
        assertEquals(256, s.maxNewTokens(), "long enough for the reference model's ~110-token solutions");
        assertEquals(2.0, s.lambda(), "method knobs keep their defaults");
    }

    @Test
    void badValuesNameTheirKeys() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DemoConfig.load(Map.of("O1P_DEMO_K", "1", "O1P_DEMO_SAMPLES_PER_PROBLEM", "none")));
        assertTrue(e.getMessage().contains("O1P_DEMO_K"), e.getMessage());
        assertTrue(e.getMessage().contains("O1P_DEMO_SAMPLES_PER_PROBLEM"), e.getMessage());
    }

    @Test
    void methodKnobsChangeOnlyThemselves() {
        DemoConfig.Settings s = DemoConfig.load(Map.of());
        DemoConfig.Settings v = s.withMethodKnobs(5, new SamplesPerProblem(2), Path.of("x"));
        assertEquals(5, v.lambda());
        assertEquals(new SamplesPerProblem(2), v.samplesPerProblem());
        assertEquals(Path.of("x"), v.reportDir());
        assertEquals(s.problems(), v.problems());
        assertEquals(s.baselineLr(), v.baselineLr());
    }

    @Test
    void everyKeyIsDocumented() {
        String d = DemoConfig.registry().describe();
        for (var k : DemoConfig.KEYS) {
            assertTrue(d.contains(k.env()), k.env());
        }
    }
}
