package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.OffsetLedger;

/** Versioned, atomic, verified checkpoints and the trainer state inside them. */
class CheckpointStoreTest {

    private static CheckpointStore.TrainerState state(long version) {
        Map<Integer, OffsetLedger.PartitionState> offsets = new TreeMap<>();
        offsets.put(0, new OffsetLedger.PartitionState(17, new TreeSet<>(Set.of(3L, 12L))));
        offsets.put(1, new OffsetLedger.PartitionState(4, new TreeSet<>()));
        return new CheckpointStore.TrainerState(version, version - 1, 10 * version, "dpo", 40, 80, 5000,
                AdvantageStats.empty().addAll(new double[] {0.1, 3.9, -2}), offsets, Map.of("loss", 0.25),
                Map.of("lr", "1e-5"), 123);
    }

    @Test
    void stateSurvivesTheRoundTripExactly() throws Exception {
        CheckpointStore.TrainerState s = state(3);
        assertEquals(s, CheckpointStore.fromJson(CheckpointStore.toJson(s)));
    }

    @Test
    void writesVerifiedVersionsAndResumesFromTheNewestIntactOne(@TempDir Path tmp) throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        try (CausalLM m = CausalLM.random(TestWorld.config(32, 1), 1, Device.cpu())) {
            for (long v = 1; v <= 3; v++) {
                CheckpointStore.Stored st = store.write(m, dir -> Files.writeString(dir.resolve("optimizer.json"), "{}"),
                        state(v));
                assertTrue(st.manifest().files().containsKey(CheckpointStore.STATE_FILE));
                assertTrue(st.manifest().files().containsKey("optimizer.json"));
            }
            assertEquals(2, store.versionDirs().size(), "keeps the newest two");
            assertThrows(CheckpointException.class, () -> store.write(m, dir -> { }, state(3)));
        }
        assertEquals(3, store.latest().orElseThrow().state().version());
        Files.writeString(store.dirFor(3).resolve("model.safetensors"), "corrupt");
        CheckpointStore.Stored fallback = store.latest().orElseThrow();
        assertEquals(2, fallback.state().version());
        assertEquals(state(2), fallback.state());
        try (CausalLM loaded = CausalLM.load(fallback.dir(), Device.cpu())) {
            assertEquals(1, loaded.config().numLayers());
        }
        try (var files = Files.list(store.root())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left behind");
        }
    }
}
