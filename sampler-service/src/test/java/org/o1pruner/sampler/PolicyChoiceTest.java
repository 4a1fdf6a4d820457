package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.EvalRecord;

class PolicyChoiceTest {

    static CheckpointRecord ckpt(String run, long version) {
        return new CheckpointRecord(run, version, version * 10, "file:///tmp/v" + version, Map.of(),
                version - 1, "o1-pruner", Map.of(), 0);
    }

    static EvalRecord eval(String run, long version, boolean promoted) {
        return new EvalRecord(run, version, "toy_test", "greedy", 10, 5, 0.5, 0.2, 0.8, 30, 0.1, 0.1, false,
                promoted, 0);
    }

    private static Optional<Long> next(PolicyChoice c, long current) {
        return c.next(current).map(CheckpointRecord::version);
    }

    @Test
    void fixedNeverSwitches() {
        PolicyChoice c = new PolicyChoice(FollowMode.FIXED, "run");
        c.onCheckpoint(ckpt("run", 5));
        assertEquals(Optional.empty(), next(c, 0));
    }

    @Test
    void latestTakesTheNewestOfItsRunOnly() {
        PolicyChoice c = new PolicyChoice(FollowMode.LATEST, "run");
        c.onCheckpoint(ckpt("run", 1));
        c.onCheckpoint(ckpt("other", 9));
        c.onCheckpoint(ckpt("run", 3));
        c.onCheckpoint(ckpt("run", 2));
        assertEquals(Optional.of(3L), next(c, 0));
        assertEquals(Optional.empty(), next(c, 3));
        c.refuse(3);
        assertEquals(Optional.of(2L), next(c, 0), "a refused version is skipped, the next newer one is used");
        assertEquals(Optional.empty(), next(c, 2));
    }

    @Test
    void latestPromotedWaitsForPromotion() {
        PolicyChoice c = new PolicyChoice(FollowMode.LATEST_PROMOTED, "run");
        c.onCheckpoint(ckpt("run", 1));
        c.onCheckpoint(ckpt("run", 2));
        assertEquals(Optional.empty(), next(c, 0));
        c.onEval(eval("run", 1, true));
        c.onEval(eval("run", 2, false));
        c.onEval(eval("other", 2, true));
        assertEquals(Optional.of(1L), next(c, 0));
        c.onEval(eval("run", 2, true));
        assertEquals(Optional.of(2L), next(c, 1));
    }

    @Property(tries = 200)
    void neverChoosesAnOlderRefusedOrForeignVersion(@ForAll @Size(max = 12) List<@LongRange(min = 0, max = 20) Long> versions,
                                                   @ForAll @Size(max = 5) List<@LongRange(min = 0, max = 20) Long> refused,
                                                   @ForAll @LongRange(min = 0, max = 20) long current) {
        PolicyChoice c = new PolicyChoice(FollowMode.LATEST, "run");
        versions.forEach(v -> c.onCheckpoint(ckpt(v % 2 == 0 ? "run" : "other", v)));
        refused.forEach(c::refuse);
        Optional<Long> n = next(c, current);
        long expected = versions.stream().filter(v -> v % 2 == 0 && v > current && !refused.contains(v))
                .mapToLong(Long::longValue).max().orElse(-1);
        assertEquals(expected < 0 ? Optional.empty() : Optional.of(expected), n);
        n.ifPresent(v -> assertTrue(v > current));
    }
}
