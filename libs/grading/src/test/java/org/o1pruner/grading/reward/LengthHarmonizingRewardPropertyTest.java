package org.o1pruner.grading.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Invariants of R_LH that must hold for every group, not just the hand-checked ones. */
class LengthHarmonizingRewardPropertyTest {

    @Provide
    Arbitrary<List<Outcome>> groups() {
        Arbitrary<Outcome> one = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 8192))
                .as(Outcome::new);
        return one.list().ofMinSize(1).ofMaxSize(32);
    }

    @Property
    void accuracyTermAveragesToZeroOverAGroup(@ForAll("groups") List<Outcome> g) {
        GroupStats s = GroupStats.of(g);
        double sum = 0;
        for (Outcome o : g) {
            sum += o.accuracy() - s.meanAccuracy();
        }
        assertEquals(0.0, sum / g.size(), 1e-12);
        // and so the mean raw reward equals the mean length term alone
        var rw = new LengthHarmonizingReward(5, -2, 4);
        double rawSum = 0;
        double lenSum = 0;
        for (Outcome o : g) {
            rawSum += rw.raw(s, o);
            lenSum += LengthHarmonizingReward.lengthTerm(s, o.length());
        }
        assertEquals(lenSum / g.size(), rawSum / g.size(), 1e-9);
    }

    @Property
    void shorterCorrectSampleEarnsMoreThanLongerCorrectOne(
            @ForAll("groups") List<Outcome> rest,
            @ForAll @IntRange(min = 1, max = 8000) int shortLen,
            @ForAll @IntRange(min = 1, max = 192) int extra,
            @ForAll @DoubleRange(min = 0, max = 10) double lambda) {
        List<Outcome> g = new ArrayList<>(rest);
        Outcome shorter = new Outcome(true, shortLen);
        Outcome longer = new Outcome(true, shortLen + extra);
        g.add(shorter);
        g.add(longer);
        var rw = new LengthHarmonizingReward(lambda, -2, 4);
        GroupStats s = GroupStats.of(g);
        assertTrue(rw.raw(s, shorter) > rw.raw(s, longer));
        assertTrue(rw.clipped(rw.raw(s, shorter)) >= rw.clipped(rw.raw(s, longer)));
    }

    @Property
    void correctBeatsIncorrectAtEqualLengthWhenLambdaPositive(
            @ForAll("groups") List<Outcome> rest, @ForAll @IntRange(min = 1, max = 8192) int len,
            @ForAll @DoubleRange(min = 0.01, max = 10) double lambda) {
        List<Outcome> g = new ArrayList<>(rest);
        g.add(new Outcome(true, len));
        g.add(new Outcome(false, len));
        var rw = new LengthHarmonizingReward(lambda, -2, 4);
        GroupStats s = GroupStats.of(g);
        assertEquals(lambda, rw.raw(s, g.get(g.size() - 2)) - rw.raw(s, g.get(g.size() - 1)), 1e-9);
    }

    @Property
    void clippedStaysWithinBounds(@ForAll("groups") List<Outcome> g,
                                  @ForAll @DoubleRange(min = 0, max = 20) double lambda,
                                  @ForAll @DoubleRange(min = -5, max = 0) double low,
                                  @ForAll @DoubleRange(min = 0, max = 8) double high) {
        var rw = new LengthHarmonizingReward(lambda, low, high);
        for (double r : rw.rawRewards(g)) {
            assertTrue(Double.isFinite(r));
            double c = rw.clipped(r);
            assertTrue(c >= low && c <= high, () -> c + " outside [" + low + ", " + high + "]");
            if (r >= low && r <= high) {
                assertEquals(r, c, 0.0);
            }
        }
    }

    @Property
    void rewardIsScaleInvariantInLengths(@ForAll("groups") List<Outcome> g,
                                         @ForAll @IntRange(min = 2, max = 50) int scale) {
        List<Outcome> scaled = g.stream().map(o -> new Outcome(o.correct(), o.length() * scale)).toList();
        var rw = LengthHarmonizingReward.defaults();
        double[] a = rw.rawRewards(g);
        double[] b = rw.rawRewards(scaled);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-9);
        }
    }

    @Property
    void rewardDoesNotDependOnOrderWithinTheGroup(@ForAll("groups") List<Outcome> g) {
        var rw = LengthHarmonizingReward.defaults();
        List<Outcome> reversed = new ArrayList<>(g);
        java.util.Collections.reverse(reversed);
        double[] a = rw.rawRewards(g);
        double[] b = rw.rawRewards(reversed);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[a.length - 1 - i], 1e-12);
        }
    }
}
