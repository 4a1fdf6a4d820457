package org.o1pruner.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.schema.Topics;

class RewardConfigTest {
    private static final Map<String, String> BASE = Map.of("O1P_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private static Map<String, String> with(String k, String v) {
        var m = new java.util.HashMap<>(BASE);
        m.put(k, v);
        return m;
    }

    @Test
    void defaultsFollowThePaper() {
        RewardConfig c = RewardConfig.load(BASE);
        assertEquals(2.0, c.reward().lambda());
        assertEquals(-2.0, c.reward().clipLow());
        assertEquals(4.0, c.reward().clipHigh());
        assertEquals(IncompleteGroupPolicy.EMIT_FLAGGED, c.incompletePolicy());
        assertEquals(Topics.SAMPLES, c.inputTopic());
        assertEquals(RewardTopics.CHANGELOG, c.changelogTopic());
        assertEquals(Duration.ofMinutes(10), c.groupTimeout());
    }

    @Test
    void parsesTheServiceKeys() {
        var env = new java.util.HashMap<>(BASE);
        env.put("O1P_REWARD_LAMBDA", "5");
        env.put("O1P_REWARD_INCOMPLETE_POLICY", "dead-letter");
        env.put("O1P_REWARD_GROUP_TIMEOUT", "45s");
        RewardConfig c = RewardConfig.load(env);
        assertEquals(5.0, c.reward().lambda());
        assertEquals(IncompleteGroupPolicy.DEAD_LETTER, c.incompletePolicy());
        assertEquals(Duration.ofSeconds(45), c.groupTimeout());
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> RewardConfig.load(with("O1P_REWARD_LAMBDA", "-1")));
        assertTrue(e.getMessage().contains("O1P_REWARD_LAMBDA"), e.getMessage());
        var e2 = assertThrows(ConfigException.class, () -> RewardConfig.load(with("O1P_REWARD_CLIP_LOW", "5")));
        assertTrue(e2.getMessage().contains("O1P_REWARD_CLIP_LOW"), e2.getMessage());
        var e3 = assertThrows(ConfigException.class,
                () -> RewardConfig.load(with("O1P_REWARD_INCOMPLETE_POLICY", "drop")));
        assertTrue(e3.getMessage().contains("O1P_REWARD_INCOMPLETE_POLICY"), e3.getMessage());
        assertThrows(ConfigException.class, () -> RewardConfig.load(with("O1P_REWARD_GROUP_TIMEOUT", "0s")));
        assertThrows(ConfigException.class, () -> RewardConfig.load(Map.of()));
    }
}
