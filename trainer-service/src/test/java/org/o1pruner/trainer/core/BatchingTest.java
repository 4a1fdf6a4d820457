package org.o1pruner.trainer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.trainer.Fixtures;

/** Step batching and the prompt/response layout. */
class BatchingTest {

    @Test
    void fullStepsUnlessFlushed() {
        StepBatcher b = new StepBatcher(2, 3);
        List<TrainItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(new TrainItem.Single(Fixtures.tracked(i, Fixtures.scored("p" + i, 0, 1, true, 3, 0))));
        }
        b.addAll(items);
        List<List<TrainItem>> step = b.next(false).orElseThrow();
        assertEquals(3, step.size());
        step.forEach(mb -> assertEquals(2, mb.size()));
        assertEquals(items.get(0), step.get(0).get(0));
        assertTrue(b.next(false).isEmpty());
        List<List<TrainItem>> rest = b.next(true).orElseThrow();
        assertEquals(1, rest.size());
        assertEquals(items.get(6), rest.get(0).get(0));
        assertTrue(b.next(true).isEmpty());
    }

    @Test
    void promptsAreLeftPaddedAndResponsesRightPadded() {
        PackedBatch p = PackedBatch.pack(List.of(new int[] {1, 2, 3}, new int[] {4}),
                List.of(new int[] {7}, new int[] {8, 9}), 0);
        assertEquals(3, p.promptWidth());
        assertEquals(2, p.responseWidth());
        assertArrayEquals(new long[] {1, 2, 3, 7, 0}, p.inputIds()[0]);
        assertArrayEquals(new long[] {1, 1, 1, 1, 0}, p.attentionMask()[0]);
        assertArrayEquals(new long[] {0, 0, 4, 8, 9}, p.inputIds()[1]);
        assertArrayEquals(new long[] {0, 0, 1, 1, 1}, p.attentionMask()[1]);
        assertArrayEquals(new long[] {8, 9}, p.targets()[1]);
        assertArrayEquals(new float[] {1, 0}, p.responseMask()[0]);
        assertThrows(IllegalArgumentException.class,
                () -> PackedBatch.pack(List.of(new int[0]), List.of(new int[] {1}), 0));
    }
}
