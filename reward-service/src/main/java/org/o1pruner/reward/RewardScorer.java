package org.o1pruner.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.o1pruner.grading.Grade;
import org.o1pruner.grading.Grader;
import org.o1pruner.grading.reward.GroupStats;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.grading.reward.Outcome;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;

/**
 * Turns samples into scored records: grades each sample's {@code text} against its
 * ground-truth {@code answer}, and, for a finished group, computes the reference
 * means and each sample's raw length-harmonizing reward.
 *
 * <p>Pure (no I/O, no clock): the scoring time is passed in. A sample whose grading
 * hit the grader's budget counts as incorrect and is flagged {@code gradingTimedOut}.
 */
public final class RewardScorer {
    private final Grader grader;
    private final LengthHarmonizingReward reward;

    /**
     * @param grader the answer grader
     * @param reward λ and the clip bounds
     */
    public RewardScorer(Grader grader, LengthHarmonizingReward reward) {
        this.grader = Objects.requireNonNull(grader, "grader");
        this.reward = Objects.requireNonNull(reward, "reward");
    }

    /** The reward parameters in use. */
    public LengthHarmonizingReward reward() {
        return reward;
    }

    /** Grades one sample's text against its ground truth. */
    public GradedSample grade(SampleRecord sample) {
        Grade g = grader.grade(sample.text(), sample.answer());
        return new GradedSample(sample, g);
    }

    /**
     * Scores a finished group.
     *
     * @param group      the distinct samples of one group, in sample-index order, at least one
     * @param incomplete whether the group timed out with fewer than K samples
     * @param scoredAtMs the scoring time, milliseconds since the epoch
     * @return one scored record per sample, same order
     */
    public List<ScoredRecord> score(List<GradedSample> group, boolean incomplete, long scoredAtMs) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("cannot score an empty group");
        }
        List<Outcome> outcomes = new ArrayList<>(group.size());
        for (GradedSample g : group) {
            outcomes.add(new Outcome(g.grade().correct(), g.sample().length()));
        }
        GroupStats stats = GroupStats.of(outcomes);
        List<ScoredRecord> out = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            GradedSample g = group.get(i);
            out.add(new ScoredRecord(g.sample(), g.grade().correct(), g.grade().extracted(),
                    g.sample().length(), stats.meanLength(), stats.meanAccuracy(), stats.k(),
                    reward.raw(stats, outcomes.get(i)), reward.lambda(), incomplete,
                    g.grade().timedOut() && !g.grade().correct(), scoredAtMs));
        }
        return out;
    }
}
