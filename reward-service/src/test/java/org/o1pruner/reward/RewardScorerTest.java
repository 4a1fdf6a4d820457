package org.o1pruner.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.Grader;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.schema.ScoredRecord;

class RewardScorerTest {
    private final RewardScorer scorer = new RewardScorer(Grader.defaults(), new LengthHarmonizingReward(2, -2, 4));

    @Test
    void gradesTheLastBoxedAnswerAgainstTheTruth() {
        GradedSample right = scorer.grade(Samples.answering("p", 0, 2, "42", "42", 10));
        GradedSample wrong = scorer.grade(Samples.answering("p", 1, 2, "41", "42", 10));
        assertTrue(right.grade().correct());
        assertEquals("42", right.grade().extracted());
        assertFalse(wrong.grade().correct());
        GradedSample none = scorer.grade(Samples.sample("p", 0, 1, 0, 1, "no answer here", "42", 5));
        assertFalse(none.grade().correct());
        assertNull(none.grade().extracted());
    }

    @Test
    void scoresAGroupWithHandComputedRewards() {
        // lengths 100, 300 (correct), 200 (wrong), 400 (correct): L̄ = 250, Ā = 0.75, λ = 2
        List<GradedSample> group = List.of(
                scorer.grade(Samples.answering("p", 0, 4, "42", "42", 100)),
                scorer.grade(Samples.answering("p", 1, 4, "42", "42", 300)),
                scorer.grade(Samples.answering("p", 2, 4, "7", "42", 200)),
                scorer.grade(Samples.answering("p", 3, 4, "42", "42", 400)));
        List<ScoredRecord> out = scorer.score(group, false, 123L);
        assertEquals(4, out.size());
        double[] expected = {2.5 - 1 + 0.5, 250.0 / 300 - 1 + 0.5, 1.25 - 1 - 1.5, 0.625 - 1 + 0.5};
        for (int i = 0; i < 4; i++) {
            ScoredRecord r = out.get(i);
            r.validate();
            assertEquals(i, r.sample().sampleIndex());
            assertEquals(250.0, r.meanLengthRef(), 1e-12);
            assertEquals(0.75, r.meanAccuracyRef(), 1e-12);
            assertEquals(4, r.groupSize());
            assertEquals(2.0, r.lambda());
            assertEquals(expected[i], r.rawReward(), 1e-12, "sample " + i);
            assertFalse(r.incompleteGroup());
            assertEquals(123L, r.scoredAtMs());
        }
        assertEquals(100, out.get(0).length());
        assertFalse(out.get(2).correct());
    }

    @Test
    void incompleteGroupUsesTheActualCountAndIsFlagged() {
        List<GradedSample> group = List.of(
                scorer.grade(Samples.answering("p", 0, 4, "42", "42", 50)),
                scorer.grade(Samples.answering("p", 2, 4, "1", "42", 150)));
        List<ScoredRecord> out = scorer.score(group, true, 5L);
        for (ScoredRecord r : out) {
            r.validate();
            assertTrue(r.incompleteGroup());
            assertEquals(2, r.groupSize());
            assertEquals(100.0, r.meanLengthRef(), 1e-12);
            assertEquals(0.5, r.meanAccuracyRef(), 1e-12);
        }
        assertEquals(2.0 - 1 + 2 * 0.5, out.get(0).rawReward(), 1e-12);
        assertEquals(100.0 / 150 - 1 - 2 * 0.5, out.get(1).rawReward(), 1e-12);
    }

    @Test
    void emptyGroupIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> scorer.score(List.of(), false, 0));
    }
}
