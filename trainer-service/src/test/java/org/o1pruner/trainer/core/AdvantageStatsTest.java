package org.o1pruner.trainer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Running advantage statistics and the clipped, standardized advantage. */
class AdvantageStatsTest {

    @Test
    void handComputedMeanAndPopulationStd() {
        AdvantageStats s = AdvantageStats.empty().addAll(new double[] {1, 2, 3, 4});
        assertEquals(4, s.count());
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(1.25), s.std(), 1e-12);
        assertEquals((4 - 2.5) / Math.sqrt(1.25), s.standardize(4), 1e-12);
    }

    @Test
    void aSingleValueIsOnlyCentred() {
        AdvantageStats s = AdvantageStats.empty().add(3);
        assertEquals(0.0, s.standardize(3));
        assertEquals(1.0, s.standardize(4));
    }

    @Test
    void advantagesClipThenUpdateThenStandardize() {
        Advantages adv = Advantages.defaults();
        // raw 10 clips to 4, raw -5 clips to -2; then z-score over {4, -2, 1}
        Advantages.Result r = adv.compute(AdvantageStats.empty(), new double[] {10, -5, 1});
        double mean = 1.0;
        double std = Math.sqrt((9 + 9 + 0) / 3.0);
        assertArrayEquals(new double[] {3 / std, -3 / std, 0}, r.advantages(), 1e-12);
        assertEquals(mean, r.stats().mean(), 1e-12);
        // the second step standardizes with everything seen so far
        Advantages.Result r2 = adv.compute(r.stats(), new double[] {1});
        AdvantageStats all = AdvantageStats.empty().addAll(new double[] {4, -2, 1, 1});
        assertEquals(all.standardize(1), r2.advantages()[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new Advantages(1, 1));
    }

    @Property
    void runningStatisticsEqualTwoPass(@ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = -2, max = 4) Double> xs) {
        AdvantageStats s = AdvantageStats.empty();
        double sum = 0;
        for (double x : xs) {
            s = s.add(x);
            sum += x;
        }
        double mean = sum / xs.size();
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        assertEquals(mean, s.mean(), 1e-9);
        assertEquals(ss / xs.size(), s.variance(), 1e-9);
    }

    @Property
    void mergeEqualsSequentialAdds(@ForAll @Size(max = 30) List<@DoubleRange(min = -2, max = 4) Double> a,
            @ForAll @Size(max = 30) List<@DoubleRange(min = -2, max = 4) Double> b) {
        AdvantageStats sa = AdvantageStats.empty();
        for (double x : a) {
            sa = sa.add(x);
        }
        AdvantageStats sb = AdvantageStats.empty();
        for (double x : b) {
            sb = sb.add(x);
        }
        AdvantageStats seq = sa;
        for (double x : b) {
            seq = seq.add(x);
        }
        AdvantageStats merged = sa.merge(sb);
        assertEquals(seq.count(), merged.count());
        assertEquals(seq.mean(), merged.mean(), 1e-9);
        assertEquals(seq.m2(), merged.m2(), 1e-8);
    }

    @Property
    void jsonRoundTripIsBitExact(@ForAll @Size(max = 20) List<@DoubleRange(min = -1e6, max = 1e6) Double> xs) {
        AdvantageStats s = AdvantageStats.empty();
        for (double x : xs) {
            s = s.add(x);
        }
        assertEquals(s, AdvantageStats.fromJson(s.toJson()));
    }

    @Property
    void standardizedBatchHasZeroMeanAndUnitStd(
            @ForAll @Size(min = 2, max = 40) List<@DoubleRange(min = -10, max = 10) Double> raw) {
        double[] xs = raw.stream().mapToDouble(Double::doubleValue).toArray();
        Advantages.Result r = new Advantages(-100, 100).compute(AdvantageStats.empty(), xs);
        if (r.stats().std() < AdvantageStats.MIN_STD) {
            return;
        }
        double mean = 0;
        for (double a : r.advantages()) {
            mean += a / xs.length;
        }
        double var = 0;
        for (double a : r.advantages()) {
            var += (a - mean) * (a - mean) / xs.length;
        }
        assertEquals(0, mean, 1e-9);
        assertEquals(1, var, 1e-6);
    }

    @Test
    void rejectsMalformedJson() {
        assertThrows(IllegalArgumentException.class, () -> AdvantageStats.fromJson("{\"count\": 1}"));
    }
}
