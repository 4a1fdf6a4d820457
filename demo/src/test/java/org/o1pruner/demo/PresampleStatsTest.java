package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.SamplesPerProblem;
import org.o1pruner.trainer.core.Tracked;

class PresampleStatsTest {

    /** A scored sample of {@code length} response tokens (EOS-terminated unless truncated). */
    static ScoredRecord scored(String problem, int index, int k, int length, boolean correct, boolean truncated) {
        int tokens = truncated ? length : length + 1;
        int[] response = new int[tokens];
        float[] logProbs = new float[tokens];
        java.util.Arrays.fill(response, 5);
        java.util.Arrays.fill(logProbs, -0.5f);
        SampleRecord s = new SampleRecord(problem, "toy_train", 0, 0, index, k, "7", "default", new int[] {1, 2, 3},
                response, logProbs, "x \\boxed{" + (correct ? 7 : 8) + "}", truncated ? FinishReason.LENGTH : FinishReason.EOS,
                1, 1);
        return new ScoredRecord(s, correct, correct ? "7" : "8", length, 10, 0.5, k, 0.0, 2, false, false, 1);
    }

    /** Two problems × K = 4: p1 lengths 10 (right), 20 (right), 30 (wrong), 40 (right, cut); p2 all wrong, 5..20. */
    static List<ScoredRecord> sample() {
        List<ScoredRecord> r = new ArrayList<>();
        r.add(scored("p1", 0, 4, 10, true, false));
        r.add(scored("p1", 1, 4, 20, true, false));
        r.add(scored("p1", 2, 4, 30, false, false));
        r.add(scored("p1", 3, 4, 40, true, true));
        for (int i = 0; i < 4; i++) {
            r.add(scored("p2", i, 4, 5 * (i + 1), false, false));
        }
        return r;
    }

    @Test
    void disharmonyAndTotals() {
        RunResults.Presampling p = PresampleStats.of(sample());
        assertEquals(2, p.problems());
        assertEquals(8, p.samples());
        assertEquals(3.0 / 8, p.accuracy(), 1e-12);
        assertEquals((10 + 20 + 30 + 40 + 5 + 10 + 15 + 20) / 8.0, p.meanLength(), 1e-12);
        assertEquals((4.0 + 4.0) / 2, p.meanLongestOverShortest(), 1e-12);
        assertEquals(0.5, p.shortestAccuracy(), 1e-12);
        assertEquals(0.5, p.longestAccuracy(), 1e-12);
        assertEquals(1, p.truncated());
    }

    @Test
    void itemCountsFollowTheTrainersSelection() {
        List<Tracked> t = new ArrayList<>();
        long offset = 0;
        for (ScoredRecord r : sample()) {
            t.add(new Tracked(0, offset++, r));
        }
        assertEquals(8, PresampleStats.trainingItems(Objective.LENGTH_HARMONIZING, SamplesPerProblem.ALL, t));
        assertEquals(4, PresampleStats.trainingItems(Objective.LENGTH_HARMONIZING, new SamplesPerProblem(2), t));
        // SFT: the two shortest correct of p1; p2 has none
        assertEquals(2, PresampleStats.trainingItems(Objective.SFT, SamplesPerProblem.ALL, t));
        // DPO: each of them against p1's longest
        assertEquals(2, PresampleStats.trainingItems(Objective.DPO, SamplesPerProblem.ALL, t));
    }
}
