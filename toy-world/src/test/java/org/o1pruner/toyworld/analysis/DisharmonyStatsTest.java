package org.o1pruner.toyworld.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DisharmonyStatsTest {

    private static Solution s(int tokens, boolean correct, Integer rechecks) {
        return new Solution(tokens, correct, true, rechecks);
    }

    /** Problem a: lengths 1..8, correct only in the shortest quarter. Problem b: lengths 10..80, all correct. */
    private static List<ProblemSamples> twoProblems() {
        List<Solution> a = new ArrayList<>();
        List<Solution> b = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            a.add(s(i, i <= 2, i / 3));
            b.add(s(10 * i, true, null));
        }
        return List.of(new ProblemSamples("a", "hard", a), new ProblemSamples("b", "easy", b));
    }

    @Test
    void macroAveragesPerInterval() {
        DisharmonyStats.Disharmony d = DisharmonyStats.disharmony(twoProblems(), 4, 1);
        assertEquals(2, d.problems());
        assertEquals(16, d.solutions());
        assertEquals(List.of(1.0, 0.5, 0.5, 0.5), d.intervals().stream().map(DisharmonyStats.IntervalRow::accuracy).toList());
        assertEquals((1.5 + 15) / 2, d.intervals().get(0).meanTokens(), 1e-12);
        assertEquals(0.5, d.shortestMinusLongest().mean(), 1e-12);
        assertEquals(8.0, d.spreadMedian(), 1e-12);
        assertEquals(1, d.allTied());
        // a: interval 1 alone is best; b: all four tie and share one problem
        assertEquals(1.25, d.intervals().get(0).bestShare(), 1e-12);
        assertEquals(0.25, d.intervals().get(3).bestShare(), 1e-12);
        assertEquals(1, d.intervals().get(0).soleBest());
        assertEquals(1, d.intervals().get(0).tiedBest());
        assertEquals(10.0 / 16, d.overall().accuracy(), 1e-12);
        assertTrue(d.intervals().get(0).wilson().contains(1.0));
    }

    @Property(tries = 50)
    void bestSharesSumToTheProblemCount(@ForAll @IntRange(min = 1, max = 30) int problems, @ForAll long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<ProblemSamples> ps = new ArrayList<>();
        for (int p = 0; p < problems; p++) {
            List<Solution> sols = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sols.add(s(1 + rng.nextInt(200), rng.nextBoolean(), null));
            }
            ps.add(new ProblemSamples("p" + p, null, sols));
        }
        DisharmonyStats.Disharmony d = DisharmonyStats.disharmony(ps, 4, seed);
        double sum = d.intervals().stream().mapToDouble(DisharmonyStats.IntervalRow::bestShare).sum();
        assertEquals(problems, sum, 1e-9);
        double meanOfIntervals = d.intervals().stream().mapToDouble(DisharmonyStats.IntervalRow::accuracy).average().orElseThrow();
        assertEquals(d.overall().accuracy(), meanOfIntervals, 1e-9, "equal-size intervals: macro = pooled");
        for (DisharmonyStats.IntervalRow r : d.intervals()) {
            assertTrue(r.bootstrap().low() <= r.accuracy() && r.accuracy() <= r.bootstrap().high());
            assertTrue(r.wilson().low() <= r.accuracy() + 1e-12 && r.accuracy() <= r.wilson().high() + 1e-12);
        }
        assertTrue(d.spreadMedian() >= 1);
    }

    @Test
    void groupsByDifficultyAndRechecks() {
        List<ProblemSamples> ps = new ArrayList<>(twoProblems());
        ps.add(new ProblemSamples("c", "medium", List.of(s(5, false, 0), s(6, true, 1))));
        Map<String, Map<String, Tally>> r = DisharmonyStats.byRechecks(ps);
        assertEquals(List.of("easy", "medium", "hard"), List.copyOf(r.keySet()));
        assertEquals(8, r.get("easy").get(DisharmonyStats.UNPARSEABLE).solutions());
        // hard: rechecks i/3 for i = 1..8 → 0,0,1,1,1,2,2,2; correct for i <= 2
        assertEquals(2, r.get("hard").get("0").solutions());
        assertEquals(1.0, r.get("hard").get("0").accuracy());
        assertEquals(3, r.get("hard").get("2").solutions());
        assertEquals(List.of("0", "1", "2"), List.copyOf(r.get("hard").keySet()));
        Map<String, Tally> byDiff = DisharmonyStats.byDifficulty(ps);
        assertEquals(List.of("easy", "medium", "hard", "all"), List.copyOf(byDiff.keySet()));
        assertEquals(18, byDiff.get("all").solutions());
    }

    @Test
    void bootstrapOfConstantsIsAPoint() {
        Bootstrap.Interval b = Bootstrap.mean95(new double[] {0.5, 0.5, 0.5}, 100, 3);
        assertEquals(0.5, b.low(), 1e-12);
        assertEquals(0.5, b.high(), 1e-12);
        Bootstrap.Interval v = Bootstrap.mean95(new double[] {0, 1, 0, 1, 1, 0, 1, 0}, 500, 3);
        assertTrue(v.low() < 0.5 && v.high() > 0.5 && v.low() >= 0 && v.high() <= 1, v.toString());
    }

    @Test
    void progressBarShowsCountsAndEta() {
        String s = ProgressBar.render("sampled", 50, 200, 10);
        assertTrue(s.contains("50/200") && s.contains("25 %") && s.contains("ETA 30 s"), s);
    }
}
