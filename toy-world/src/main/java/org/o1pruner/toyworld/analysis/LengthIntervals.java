package org.o1pruner.toyworld.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The paper's §3 split of one problem's sampled solutions by length: sorted from shortest to
 * longest, then cut into {@code k} consecutive intervals of equal size (the first of them the
 * shortest quarter when {@code k = 4}). When {@code n} is not a multiple of {@code k} the cut
 * points are {@code ⌊i·n/k⌋}, so sizes differ by at most one. Equal lengths keep their sampling
 * order, which makes the split deterministic.
 */
public final class LengthIntervals {

    /**
     * One interval of one problem.
     *
     * @param size       solutions in it
     * @param correct    how many of them are correct
     * @param meanTokens their mean length
     * @param minTokens  the shortest
     * @param maxTokens  the longest
     */
    public record Interval(int size, int correct, double meanTokens, int minTokens, int maxTokens) {
        public Interval {
            if (size < 1 || correct < 0 || correct > size) {
                throw new IllegalArgumentException("need size >= 1 and 0 <= correct <= size, got " + correct + "/" + size);
            }
        }

        /** Share of correct solutions. */
        public double accuracy() {
            return (double) correct / size;
        }
    }

    private LengthIntervals() {
    }

    /** Start index of each interval plus the end: {@code k + 1} cut points over {@code n} sorted items. */
    public static int[] cuts(int n, int k) {
        if (k < 1 || n < k) {
            throw new IllegalArgumentException("need 1 <= k <= n to split n items into k intervals, got n=" + n + ", k=" + k);
        }
        int[] cuts = new int[k + 1];
        for (int i = 0; i <= k; i++) {
            cuts[i] = (int) ((long) i * n / k);
        }
        return cuts;
    }

    /** The solutions sorted by length (stable) and cut into {@code k} intervals, shortest first. */
    public static List<List<Solution>> split(List<Solution> solutions, int k) {
        List<Solution> sorted = new ArrayList<>(solutions);
        sorted.sort(Comparator.comparingInt(Solution::tokens));
        int[] cuts = cuts(sorted.size(), k);
        List<List<Solution>> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(List.copyOf(sorted.subList(cuts[i], cuts[i + 1])));
        }
        return out;
    }

    /** Accuracy and length of each of the {@code k} intervals, shortest first. */
    public static List<Interval> of(List<Solution> solutions, int k) {
        List<Interval> out = new ArrayList<>(k);
        for (List<Solution> part : split(solutions, k)) {
            int correct = 0;
            long tokens = 0;
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (Solution s : part) {
                correct += s.correct() ? 1 : 0;
                tokens += s.tokens();
                min = Math.min(min, s.tokens());
                max = Math.max(max, s.tokens());
            }
            out.add(new Interval(part.size(), correct, (double) tokens / part.size(), min, max));
        }
        return out;
    }

    /**
     * Which intervals have the highest accuracy: every interval that reaches the maximum (ties
     * all win). Accuracies of equal-size intervals are compared exactly as fractions.
     */
    public static List<Integer> best(List<Interval> intervals) {
        List<Integer> winners = new ArrayList<>();
        long bestNum = -1;
        long bestDen = 1;
        for (int i = 0; i < intervals.size(); i++) {
            Interval it = intervals.get(i);
            long cmp = (long) it.correct() * bestDen - bestNum * it.size();
            if (winners.isEmpty() || cmp > 0) {
                winners.clear();
                winners.add(i);
                bestNum = it.correct();
                bestDen = it.size();
            } else if (cmp == 0) {
                winners.add(i);
            }
        }
        return winners;
    }
}
