package org.o1pruner.trainer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The trained-through offsets: exact resume after a crash. */
class OffsetLedgerTest {

    @Test
    void snapshotKeepsHeldOffsetsAndRestoreSkipsFinishedOnes() {
        OffsetLedger l = new OffsetLedger();
        for (long o = 0; o < 5; o++) {
            assertTrue(l.accept(0, o));
        }
        l.release(0, 0);
        l.release(0, 2);
        l.hold(0, 3);
        l.release(0, 3); // still held once
        l.release(0, 4);
        Map<Integer, OffsetLedger.PartitionState> snap = l.snapshot();
        assertEquals(5, snap.get(0).position());
        assertEquals(Set.of(1L, 3L), snap.get(0).pending());
        OffsetLedger r = OffsetLedger.restore(snap);
        assertEquals(1, r.seekOffset(0));
        assertTrue(r.accept(0, 1));
        assertFalse(r.accept(0, 2));
        assertTrue(r.accept(0, 3));
        assertFalse(r.accept(0, 4));
        assertTrue(r.accept(0, 5));
        assertFalse(r.accept(0, 5), "a repeat of an accepted offset is refused");
        assertEquals(0, r.seekOffset(7), "unknown partitions start at 0");
    }

    @Test
    void releasingWhatIsNotHeldIsAnError() {
        OffsetLedger l = new OffsetLedger();
        assertThrows(IllegalStateException.class, () -> l.release(0, 0));
        assertThrows(IllegalStateException.class, () -> l.hold(0, 0));
    }

    /**
     * Simulates consuming two partitions, finishing records out of order (as groups and batches
     * do), checkpointing and crashing at random: the records finished in the lineage of the final
     * checkpoint are each finished exactly once.
     */
    @Property(tries = 200)
    void everyRecordIsFinishedExactlyOnceAcrossCrashes(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n0,
            @ForAll @IntRange(min = 0, max = 40) int n1) {
        Random rng = new Random(seed);
        int[] sizes = {n0, n1};
        Map<Integer, OffsetLedger.PartitionState> checkpoint = Map.of();
        List<String> lineage = new ArrayList<>();
        int crashes = 0;
        while (true) {
            OffsetLedger ledger = OffsetLedger.restore(checkpoint);
            long[] next = {ledger.seekOffset(0), ledger.seekOffset(1)};
            List<long[]> queue = new ArrayList<>();
            List<String> sinceCheckpoint = new ArrayList<>();
            boolean crashed = false;
            while (true) {
                boolean moreInput = next[0] < sizes[0] || next[1] < sizes[1];
                if (!moreInput && queue.isEmpty()) {
                    break;
                }
                int action = rng.nextInt(10);
                if (action < 5 && moreInput) {
                    int p = next[0] < sizes[0] && (next[1] >= sizes[1] || rng.nextBoolean()) ? 0 : 1;
                    long o = next[p]++;
                    if (ledger.accept(p, o)) {
                        queue.add(new long[] {p, o});
                    }
                } else if (action < 8 && !queue.isEmpty()) {
                    long[] r = queue.remove(rng.nextInt(queue.size()));
                    ledger.release((int) r[0], r[1]);
                    sinceCheckpoint.add(r[0] + "/" + r[1]);
                } else if (action == 8) {
                    checkpoint = ledger.snapshot();
                    lineage.addAll(sinceCheckpoint);
                    sinceCheckpoint.clear();
                } else if (crashes < 6) {
                    crashes++;
                    crashed = true;
                    break;
                }
            }
            if (!crashed) {
                lineage.addAll(sinceCheckpoint);
                break;
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        lineage.forEach(k -> counts.merge(k, 1, Integer::sum));
        TreeSet<String> expected = new TreeSet<>();
        for (int p = 0; p < 2; p++) {
            for (int o = 0; o < sizes[p]; o++) {
                expected.add(p + "/" + o);
            }
        }
        assertEquals(expected, new TreeSet<>(counts.keySet()));
        counts.forEach((k, v) -> assertEquals(1, v, k + " finished " + v + " times"));
    }
}
