package org.o1pruner.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.OffsetLedger;
import org.o1pruner.trainer.core.SamplesPerProblem;
import org.o1pruner.trainer.core.Tracked;
import org.o1pruner.trainer.core.TrainingPlan;

/**
 * Pure summaries of the pre-sampled, scored data: overall accuracy and length, the paper's
 * length disharmony per problem, and how many training items each objective makes of it (by
 * replaying the trainer's own {@link TrainingPlan}, so the count is exactly what the trainer
 * will train).
 */
public final class PresampleStats {
    private PresampleStats() {}

    /** Statistics over the scored records (one entry per sample). */
    public static RunResults.Presampling of(List<ScoredRecord> scored) {
        Map<String, List<ScoredRecord>> byProblem = new LinkedHashMap<>();
        long correct = 0;
        long length = 0;
        int truncated = 0;
        for (ScoredRecord r : scored) {
            byProblem.computeIfAbsent(r.problemId(), k -> new ArrayList<>()).add(r);
            correct += r.correct() ? 1 : 0;
            length += r.length();
            truncated += r.sample().finishReason() == FinishReason.LENGTH ? 1 : 0;
        }
        double ratioSum = 0;
        int ratioCount = 0;
        int shortestCorrect = 0;
        int longestCorrect = 0;
        for (List<ScoredRecord> group : byProblem.values()) {
            ScoredRecord shortest = group.stream().min(Comparator.comparingInt(ScoredRecord::length)).orElseThrow();
            ScoredRecord longest = group.stream().max(Comparator.comparingInt(ScoredRecord::length)).orElseThrow();
            if (shortest.length() > 0) {
                ratioSum += (double) longest.length() / shortest.length();
                ratioCount++;
            }
            shortestCorrect += shortest.correct() ? 1 : 0;
            longestCorrect += longest.correct() ? 1 : 0;
        }
        int problems = byProblem.size();
        int n = scored.size();
        return new RunResults.Presampling(problems, n, n == 0 ? 0 : (double) correct / n, n == 0 ? 0 : (double) length / n,
                ratioCount == 0 ? 0 : ratioSum / ratioCount, problems == 0 ? 0 : (double) shortestCorrect / problems,
                problems == 0 ? 0 : (double) longestCorrect / problems, truncated);
    }

    /** How many items (samples, or DPO pairs) the trainer makes of one pass over {@code records}. */
    public static long trainingItems(Objective objective, SamplesPerProblem samplesPerProblem, List<Tracked> records) {
        OffsetLedger ledger = new OffsetLedger();
        TrainingPlan plan = new TrainingPlan(objective, samplesPerProblem, ledger);
        long items = 0;
        for (Tracked t : records) {
            if (ledger.accept(t.partition(), t.offset())) {
                items += plan.offer(t).size();
            }
        }
        return items;
    }
}
