package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.o1pruner.grading.reward.GroupStats;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.grading.reward.Outcome;
import org.junit.jupiter.api.Test;

class RewardSimulationTest {

    private static RewardSimulation.Result cached;

    private static synchronized RewardSimulation.Result committedSettings() {
        if (cached != null) {
            return cached;
        }
        List<ToyProblem> train = ToyWorld.standard().problems(Split.TRAIN);
        cached = RewardSimulation.run(train, new TraceGenerator(WorldParams.DEFAULT), RewardSimulation.DEFAULT_K,
                RewardSimulation.DEFAULT_LAMBDA, RewardSimulation.SEED);
        return cached;
    }

    @Test
    void keepingARecheckPaysOnHardProblemsAndNotOnEasyOnes() {
        RewardSimulation.Result r = committedSettings();
        double hard0 = r.cell(Difficulty.HARD, 0).meanReward();
        double hard1 = r.cell(Difficulty.HARD, 1).meanReward();
        double easy0 = r.cell(Difficulty.EASY, 0).meanReward();
        double easy1 = r.cell(Difficulty.EASY, 1).meanReward();
        assertTrue(r.cell(Difficulty.HARD, 0).count() >= 100, "enough hard traces without re-checks to judge");
        assertTrue(hard1 > hard0, "hard: one re-check " + hard1 + " must beat none " + hard0);
        assertTrue(easy0 > easy1, "easy: no re-check " + easy0 + " must beat one " + easy1);
        assertTrue(r.cell(Difficulty.HARD, 1).accuracy() > r.cell(Difficulty.HARD, 0).accuracy() + 0.3);
        assertTrue(r.fast(Difficulty.HARD).accuracy() < r.bucket(Difficulty.HARD).accuracy() - 0.3,
                "the fast prompt pays for its speed on hard problems");
        assertTrue(r.meanSpread() > 1.8, "sampled lengths of one problem vary widely: " + r.meanSpread());
        double ratio = r.recheckRatio();
        assertTrue(ratio > 0.4 && ratio < 0.55, "a re-check is about half a first pass: " + ratio);
    }

    @Test
    void committedTableIsCurrent() throws Exception {
        Path md = Path.of("SIMULATION.md");
        String expected = committedSettings().toMarkdown(WorldParams.DEFAULT, RewardSimulation.COMMAND + " "
                + RewardSimulation.DEFAULT_K + " 2 toy-world/SIMULATION.md");
        assertEquals(expected, Files.readString(md, StandardCharsets.UTF_8),
                "toy-world/SIMULATION.md is stale: rerun the command it names");
    }

    @Property(tries = 300)
    void localRewardMathEqualsTheSharedReward(@ForAll @IntRange(min = 1, max = 500) int l1,
                                               @ForAll @IntRange(min = 1, max = 500) int l2,
                                               @ForAll @IntRange(min = 1, max = 500) int l3,
                                               @ForAll boolean a1, @ForAll boolean a2, @ForAll boolean a3,
                                               @ForAll @DoubleRange(min = 0, max = 8) double lambda) {
        List<Outcome> group = List.of(new Outcome(a1, l1), new Outcome(a2, l2), new Outcome(a3, l3));
        GroupStats stats = GroupStats.of(group);
        LengthHarmonizingReward shared = new LengthHarmonizingReward(lambda, -2, 4);
        for (Outcome o : group) {
            double local = RewardMath.clip(RewardMath.raw(stats.meanLength(), stats.meanAccuracy(), o.length(),
                    o.correct(), lambda), -2, 4);
            assertEquals(shared.clipped(shared.raw(stats, o)), local, 1e-12);
        }
    }
}
