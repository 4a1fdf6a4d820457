package org.o1pruner.toyworld.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LengthIntervalsTest {

    static Solution s(int tokens, boolean correct) {
        return new Solution(tokens, correct, true, null);
    }

    @Property
    void cutsCoverEverythingInNearlyEqualParts(@ForAll @IntRange(min = 1, max = 200) int n,
                                               @ForAll @IntRange(min = 1, max = 8) int k) {
        if (n < k) {
            assertThrows(IllegalArgumentException.class, () -> LengthIntervals.cuts(n, k));
            return;
        }
        int[] c = LengthIntervals.cuts(n, k);
        assertEquals(0, c[0]);
        assertEquals(n, c[k]);
        for (int i = 0; i < k; i++) {
            int size = c[i + 1] - c[i];
            assertTrue(size == n / k || size == n / k + 1, "size " + size);
        }
    }

    @Property
    void splitSortsByLengthAndKeepsEverySolution(@ForAll @Size(min = 4, max = 40) List<@IntRange(min = 0, max = 300) Integer> lengths,
                                                 @ForAll @IntRange(min = 1, max = 4) int k) {
        List<Solution> sols = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            sols.add(s(lengths.get(i), i % 3 == 0));
        }
        List<List<Solution>> parts = LengthIntervals.split(sols, k);
        List<Solution> flat = new ArrayList<>();
        parts.forEach(flat::addAll);
        List<Solution> sorted = new ArrayList<>(sols);
        sorted.sort(Comparator.comparingInt(Solution::tokens));
        assertEquals(sorted, flat);
        List<LengthIntervals.Interval> iv = LengthIntervals.of(sols, k);
        int correct = iv.stream().mapToInt(LengthIntervals.Interval::correct).sum();
        assertEquals(sols.stream().filter(Solution::correct).count(), correct);
        for (int i = 1; i < k; i++) {
            assertTrue(iv.get(i - 1).maxTokens() <= iv.get(i).minTokens());
        }
    }

    @Test
    void sixteenSamplesGiveFourQuartersWithTheirAccuracy() {
        List<Solution> sols = new ArrayList<>();
        // lengths 10..160, correct when the length is in the shortest or the third quarter, or 160
        for (int i = 16; i >= 1; i--) {
            int len = 10 * i;
            sols.add(s(len, len <= 40 || (len > 80 && len <= 120) || len == 160));
        }
        List<LengthIntervals.Interval> iv = LengthIntervals.of(sols, 4);
        assertEquals(List.of(1.0, 0.0, 1.0, 0.25), iv.stream().map(LengthIntervals.Interval::accuracy).toList());
        assertEquals(25.0, iv.get(0).meanTokens(), 1e-12);
        assertEquals(10, iv.get(0).minTokens());
        assertEquals(160, iv.get(3).maxTokens());
        assertEquals(List.of(0, 2), LengthIntervals.best(iv));
    }

    @Test
    void bestListsEveryTiedInterval() {
        List<LengthIntervals.Interval> all = List.of(new LengthIntervals.Interval(4, 2, 1, 1, 1),
                new LengthIntervals.Interval(4, 2, 2, 2, 2), new LengthIntervals.Interval(4, 2, 3, 3, 3));
        assertEquals(List.of(0, 1, 2), LengthIntervals.best(all));
        List<LengthIntervals.Interval> uneven = List.of(new LengthIntervals.Interval(3, 1, 1, 1, 1),
                new LengthIntervals.Interval(6, 2, 2, 2, 2), new LengthIntervals.Interval(3, 0, 3, 3, 3));
        assertEquals(List.of(0, 1), LengthIntervals.best(uneven));
    }

    @Test
    void equalLengthsKeepSamplingOrder() {
        List<Solution> sols = List.of(s(5, true), s(5, false), s(5, false), s(5, true));
        List<List<Solution>> parts = LengthIntervals.split(sols, 2);
        assertEquals(List.of(s(5, true), s(5, false)), parts.get(0));
        assertEquals(List.of(s(5, false), s(5, true)), parts.get(1));
    }
}
