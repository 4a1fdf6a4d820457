package org.o1pruner.trainer.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which samples of one problem's group the SFT and DPO baselines train on (DESIGN.md §2):
 * SFT takes the two shortest correct samples; DPO pairs each of them (as chosen) with the longest
 * sample of the group (as rejected).
 *
 * <p>Rules, all deterministic: ties in length are broken by the lower sample index for "shortest"
 * and for "longest" by preferring an incorrect sample, then the lower index. A group with fewer
 * than two samples, or without a correct sample, produces nothing (no contrast, nothing to
 * imitate). A DPO pair whose rejected sample is not strictly longer than its chosen one is
 * dropped: it carries no length preference (this also drops a chosen sample paired with itself).
 */
public final class PairSelection {

    /**
     * A DPO preference pair.
     *
     * @param chosen the preferred (short, correct) sample
     * @param rejected the dispreferred (longest) sample
     * @param <T> the sample type
     */
    public record Pair<T>(T chosen, T rejected) {}

    /** Samples per problem the paper's baselines imitate. */
    public static final int SHORTEST_CORRECT = 2;

    private PairSelection() {}

    /** The (up to) two shortest correct samples, shortest first. */
    public static <T> List<T> sft(List<Candidate<T>> group) {
        List<T> out = new ArrayList<>();
        for (Candidate<T> c : shortestCorrect(group)) {
            out.add(c.item());
        }
        return out;
    }

    /** Chosen = each of the two shortest correct, rejected = the longest sample. */
    public static <T> List<Pair<T>> dpo(List<Candidate<T>> group) {
        List<Candidate<T>> chosen = shortestCorrect(group);
        if (chosen.isEmpty()) {
            return List.of();
        }
        Candidate<T> rejected = group.stream()
                .min(Comparator.<Candidate<T>>comparingInt(c -> -c.length())
                        .thenComparing(c -> c.correct() ? 1 : 0)
                        .thenComparingInt(Candidate::index))
                .orElseThrow();
        List<Pair<T>> pairs = new ArrayList<>();
        for (Candidate<T> c : chosen) {
            if (rejected.length() > c.length()) {
                pairs.add(new Pair<>(c.item(), rejected.item()));
            }
        }
        return pairs;
    }

    private static <T> List<Candidate<T>> shortestCorrect(List<Candidate<T>> group) {
        if (group.size() < 2) {
            return List.of();
        }
        return group.stream()
                .filter(Candidate::correct)
                .sorted(Comparator.<Candidate<T>>comparingInt(Candidate::length).thenComparingInt(Candidate::index))
                .limit(SHORTEST_CORRECT)
                .toList();
    }
}
