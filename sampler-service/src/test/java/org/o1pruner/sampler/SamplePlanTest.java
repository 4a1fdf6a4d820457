package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SamplePlanTest {

    @Property(tries = 300)
    void everySampleOfEveryPromptIsPlannedExactlyOnceInFullBatches(
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 40) Integer> kList,
            @ForAll @IntRange(min = 1, max = 64) int batchSize) {
        int[] ks = kList.stream().mapToInt(Integer::intValue).toArray();
        List<List<SamplePlan.Job>> batches = SamplePlan.batches(ks, batchSize);
        Set<SamplePlan.Job> seen = new HashSet<>();
        List<SamplePlan.Job> flat = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            List<SamplePlan.Job> batch = batches.get(b);
            assertTrue(!batch.isEmpty() && batch.size() <= batchSize);
            if (b < batches.size() - 1) {
                assertEquals(batchSize, batch.size(), "only the last batch may be partial");
            }
            for (SamplePlan.Job j : batch) {
                assertTrue(seen.add(j), "duplicate " + j);
                flat.add(j);
            }
        }
        int total = 0;
        for (int p = 0; p < ks.length; p++) {
            for (int s = 0; s < ks[p]; s++) {
                assertTrue(seen.contains(new SamplePlan.Job(p, s)));
            }
            total += ks[p];
        }
        assertEquals(total, seen.size());
        assertEquals((total + batchSize - 1) / batchSize, batches.size());
        for (int i = 1; i < flat.size(); i++) {
            SamplePlan.Job a = flat.get(i - 1);
            SamplePlan.Job c = flat.get(i);
            assertTrue(a.prompt() < c.prompt() || (a.prompt() == c.prompt() && a.sampleIndex() + 1 == c.sampleIndex()),
                    "prompt-major order");
        }
    }

    @Test
    void problemsShareBatchesToKeepTheEngineFull() {
        List<List<SamplePlan.Job>> b = SamplePlan.batches(new int[] {3, 3, 3}, 4);
        assertEquals(3, b.size());
        assertEquals(List.of(new SamplePlan.Job(0, 0), new SamplePlan.Job(0, 1), new SamplePlan.Job(0, 2),
                new SamplePlan.Job(1, 0)), b.get(0));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SamplePlan.batches(new int[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> SamplePlan.batches(new int[] {0}, 4));
    }

    @Property(tries = 100)
    void batchSeedsDifferAcrossBatches(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1_000_000) int n) {
        assertNotEquals(SamplePlan.batchSeed(seed, n), SamplePlan.batchSeed(seed, n + 1));
        assertEquals(SamplePlan.batchSeed(seed, n), SamplePlan.batchSeed(seed, n));
    }
}
