package org.o1pruner.grading.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthHarmonizingRewardTest {
    private static final double EPS = 1e-12;

    @Test
    void handComputedGroupOfFour() {
        // lengths 100, 200, 300, 400 -> mean 250; correct: yes, yes, no, yes -> mean 0.75
        List<Outcome> g = List.of(new Outcome(true, 100), new Outcome(true, 200),
                new Outcome(false, 300), new Outcome(true, 400));
        GroupStats s = GroupStats.of(g);
        assertEquals(4, s.k());
        assertEquals(250.0, s.meanLength(), EPS);
        assertEquals(0.75, s.meanAccuracy(), EPS);
        double[] r = LengthHarmonizingReward.defaults().rawRewards(g);
        assertEquals(2.5 - 1 + 2 * 0.25, r[0], EPS);   // 2.0
        assertEquals(1.25 - 1 + 2 * 0.25, r[1], EPS);  // 0.75
        assertEquals(250.0 / 300 - 1 - 2 * 0.75, r[2], EPS);
        assertEquals(0.625 - 1 + 2 * 0.25, r[3], EPS); // 0.125
    }

    @Test
    void lambdaZeroIgnoresCorrectness() {
        var rw = new LengthHarmonizingReward(0, -2, 4);
        List<Outcome> g = List.of(new Outcome(true, 10), new Outcome(false, 10));
        double[] r = rw.rawRewards(g);
        assertEquals(0.0, r[0], EPS);
        assertEquals(0.0, r[1], EPS);
    }

    @Test
    void clippingUsesConfiguredBounds() {
        var rw = LengthHarmonizingReward.defaults();
        assertEquals(4.0, rw.clipped(9.5), EPS);
        assertEquals(-2.0, rw.clipped(-3), EPS);
        assertEquals(0.3, rw.clipped(0.3), EPS);
        assertEquals(4.0, rw.clipped(Double.POSITIVE_INFINITY), EPS);
        assertThrows(IllegalArgumentException.class, () -> rw.clipped(Double.NaN));
    }

    @Test
    void zeroLengthIsTreatedAsOneTokenInTheDenominator() {
        List<Outcome> g = List.of(new Outcome(false, 0), new Outcome(true, 8));
        GroupStats s = GroupStats.of(g);
        assertEquals(4.0, s.meanLength(), EPS); // reported lengths, zero included
        double r0 = LengthHarmonizingReward.defaults().raw(s, g.get(0));
        assertEquals(4.0 / 1 - 1 + 2 * (0 - 0.5), r0, EPS);
        assertTrue(Double.isFinite(r0));
    }

    @Test
    void allZeroLengthsGiveFiniteRewards() {
        double[] r = LengthHarmonizingReward.defaults().rawRewards(
                List.of(new Outcome(false, 0), new Outcome(false, 0)));
        assertEquals(-1.0, r[0], EPS);
        assertEquals(-1.0, r[1], EPS);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LengthHarmonizingReward(-1, -2, 4));
        assertThrows(IllegalArgumentException.class, () -> new LengthHarmonizingReward(Double.NaN, -2, 4));
        assertThrows(IllegalArgumentException.class, () -> new LengthHarmonizingReward(2, 4, -2));
        assertThrows(IllegalArgumentException.class, () -> new Outcome(true, -1));
        assertThrows(IllegalArgumentException.class, () -> GroupStats.of(List.of()));
    }
}
