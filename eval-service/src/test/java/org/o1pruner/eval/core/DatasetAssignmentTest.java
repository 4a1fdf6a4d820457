package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DatasetAssignmentTest {
    private static final List<String> PAPER = List.of("math_test", "gsm8k_test", "gaokao_test");

    @Test
    void oneInstanceOwnsEverything() {
        assertEquals(List.of("gaokao_test", "gsm8k_test", "math_test"), DatasetAssignment.owned(PAPER, 0, 1));
    }

    @Test
    void threeInstancesTakeOneEach() {
        assertEquals(List.of("gaokao_test"), DatasetAssignment.owned(PAPER, 0, 3));
        assertEquals(List.of("gsm8k_test"), DatasetAssignment.owned(PAPER, 1, 3));
        assertEquals(List.of("math_test"), DatasetAssignment.owned(PAPER, 2, 3));
    }

    @Test
    void moreInstancesThanDataSetsLeavesSomeIdle() {
        assertEquals(List.of(), DatasetAssignment.owned(PAPER, 3, 4));
    }

    @Test
    void rejectsBadIndexAndBlankNames() {
        assertThrows(IllegalArgumentException.class, () -> DatasetAssignment.owned(PAPER, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> DatasetAssignment.owned(PAPER, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> DatasetAssignment.owned(List.of("a", " "), 0, 1));
    }

    @Property
    void everyDataSetHasExactlyOneOwnerWhateverTheOrder(
            @ForAll @Size(min = 0, max = 12) List<@AlphaChars @StringLength(min = 1, max = 8) String> datasets,
            @ForAll @IntRange(min = 1, max = 6) int count) {
        List<String> shuffled = new ArrayList<>(datasets);
        Collections.reverse(shuffled);
        Set<String> seen = new HashSet<>();
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            List<String> mine = DatasetAssignment.owned(datasets, i, count);
            assertEquals(mine, DatasetAssignment.owned(shuffled, i, count), "order of the list must not matter");
            for (String d : mine) {
                assertTrue(seen.add(d), d + " owned twice");
            }
            max = Math.max(max, mine.size());
            min = Math.min(min, mine.size());
        }
        assertEquals(new HashSet<>(datasets), seen);
        assertTrue(max - min <= 1, "balanced");
    }
}
