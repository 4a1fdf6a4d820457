package org.o1pruner.grading.aes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WilsonTest {

    @Test
    void halfOfAHundred() {
        Wilson.Interval i = Wilson.interval95(50, 100);
        assertEquals(0.40383, i.low(), 1e-5);
        assertEquals(0.59617, i.high(), 1e-5);
    }

    @Test
    void noneAndAllOfTen() {
        Wilson.Interval none = Wilson.interval95(0, 10);
        assertEquals(0, none.low());
        assertEquals(0.27754, none.high(), 1e-5);
        Wilson.Interval all = Wilson.interval95(10, 10);
        assertEquals(0.72246, all.low(), 1e-5);
        assertEquals(1, all.high());
    }

    @Test
    void paperSizedTestSet() {
        // 73.8 % of MATH's 458 problems (338 correct): about ±4 points
        Wilson.Interval i = Wilson.interval95(338, 458);
        assertEquals(0.695, i.low(), 0.002);
        assertEquals(0.777, i.high(), 0.002);
    }

    @Test
    void emptyIsZero() {
        assertEquals(new Wilson.Interval(0, 0), Wilson.interval95(0, 0));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval95(5, 4));
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval95(-1, 4));
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(1, 4, 0));
    }

    @Property
    void containsTheObservedProportionInsideTheUnitInterval(@ForAll @IntRange(min = 0, max = 100_000) int trials,
                                                            @ForAll @IntRange(min = 0, max = 100_000) int k) {
        int successes = trials == 0 ? 0 : k % (trials + 1);
        Wilson.Interval i = Wilson.interval95(successes, trials);
        double p = trials == 0 ? 0 : (double) successes / trials;
        assertTrue(i.contains(p), () -> i + " lacks " + p);
        assertTrue(i.low() >= 0 && i.high() <= 1);
    }

    @Property
    void narrowsWithMoreTrials(@ForAll @IntRange(min = 1, max = 1000) int trials, @ForAll @IntRange(min = 0, max = 1000) int k) {
        int successes = k % (trials + 1);
        Wilson.Interval small = Wilson.interval95(successes, trials);
        Wilson.Interval big = Wilson.interval95(successes * 4L, trials * 4L);
        assertTrue(big.high() - big.low() < small.high() - small.low());
    }
}
