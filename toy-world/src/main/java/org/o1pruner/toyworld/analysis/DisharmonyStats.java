package org.o1pruner.toyworld.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.o1pruner.grading.aes.Wilson;

/**
 * The length-disharmony figures of the paper's §3 (Table 1, Figure 1) from graded samples:
 * accuracy per length interval per problem and averaged over problems, how often each interval
 * is a problem's best, how widely lengths spread within a problem, and, for the toy world,
 * accuracy by number of re-checks per difficulty. Pure: no I/O, deterministic for a seed.
 *
 * <p>Averages over problems are macro averages (each problem weighs the same, as in the paper).
 * Each accuracy carries two 95 % intervals: Wilson's over the pooled solutions, and a bootstrap
 * over problems, which respects that one problem's samples are correlated.
 */
public final class DisharmonyStats {

    /**
     * One length interval averaged over problems.
     *
     * @param index      0 = shortest
     * @param accuracy   mean over problems of the interval's accuracy
     * @param wilson     Wilson 95 % interval over the pooled solutions of this interval
     * @param bootstrap  bootstrap 95 % interval of {@code accuracy} over problems
     * @param meanTokens mean over problems of the interval's mean length
     * @param bestShare  problems for which this interval is best, ties split evenly among the tied
     *                   intervals (the column sums to the number of problems)
     * @param soleBest   problems for which this interval alone is best
     * @param tiedBest   problems for which this interval shares the best accuracy with others
     */
    public record IntervalRow(int index, double accuracy, Wilson.Interval wilson, Bootstrap.Interval bootstrap,
                              double meanTokens, double bestShare, int soleBest, int tiedBest) {
    }

    /**
     * The length-disharmony summary of one pass.
     *
     * @param problems             problems analysed
     * @param solutions            solutions analysed
     * @param intervals            the length intervals, shortest first
     * @param allTied              problems whose intervals all have the same accuracy
     * @param shortestMinusLongest mean over problems of (shortest-interval accuracy − longest-interval accuracy),
     *                             with its bootstrap 95 % interval
     * @param spreadMedian         median over problems of longest / shortest sampled length
     * @param spreadMean           mean over problems of the same ratio
     * @param overall              all solutions pooled
     * @param problemAccuracy      mean over problems of their accuracy, with its bootstrap 95 % interval
     * @param meanLength           mean over problems of their mean length, with its bootstrap 95 % interval
     */
    public record Disharmony(int problems, long solutions, List<IntervalRow> intervals, int allTied,
                             Bootstrap.Interval shortestMinusLongest, double spreadMedian, double spreadMean,
                             Tally overall, Bootstrap.Interval problemAccuracy, Bootstrap.Interval meanLength) {
        public Disharmony {
            intervals = List.copyOf(intervals);
        }
    }

    /** Label of solutions whose text did not follow the trace grammar, in {@link #byRechecks}. */
    public static final String UNPARSEABLE = "unparseable";
    /** Label of the difficulty of problems without one. */
    public static final String NO_DIFFICULTY = "all";

    private DisharmonyStats() {
    }

    /**
     * The disharmony figures with {@code k} length intervals.
     *
     * @param problems every problem needs at least {@code k} solutions
     * @param seed     seed of the bootstrap
     */
    public static Disharmony disharmony(List<ProblemSamples> problems, int k, long seed) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to analyse");
        }
        int n = problems.size();
        double[][] acc = new double[k][n];
        double[][] len = new double[k][n];
        long[] pooledCorrect = new long[k];
        long[] pooledSize = new long[k];
        double[] bestShare = new double[k];
        int[] sole = new int[k];
        int[] tied = new int[k];
        int allTied = 0;
        double[] diff = new double[n];
        double[] spread = new double[n];
        double[] problemAcc = new double[n];
        double[] problemLen = new double[n];
        List<Solution> all = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            ProblemSamples ps = problems.get(p);
            if (ps.solutions().size() < k) {
                throw new IllegalArgumentException("problem " + ps.id() + " has " + ps.solutions().size()
                        + " solutions, fewer than the " + k + " length intervals");
            }
            all.addAll(ps.solutions());
            List<LengthIntervals.Interval> parts = LengthIntervals.of(ps.solutions(), k);
            for (int i = 0; i < k; i++) {
                LengthIntervals.Interval it = parts.get(i);
                acc[i][p] = it.accuracy();
                len[i][p] = it.meanTokens();
                pooledCorrect[i] += it.correct();
                pooledSize[i] += it.size();
            }
            List<Integer> best = LengthIntervals.best(parts);
            if (best.size() == k) {
                allTied++;
            }
            for (int i : best) {
                bestShare[i] += 1.0 / best.size();
                if (best.size() == 1) {
                    sole[i]++;
                } else {
                    tied[i]++;
                }
            }
            diff[p] = acc[0][p] - acc[k - 1][p];
            int shortest = parts.get(0).minTokens();
            int longest = parts.get(k - 1).maxTokens();
            spread[p] = (double) longest / Math.max(1, shortest);
            Tally t = Tally.of(ps.solutions());
            problemAcc[p] = t.accuracy();
            problemLen[p] = t.meanTokens();
        }
        List<IntervalRow> rows = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Bootstrap.Interval b = Bootstrap.mean95(acc[i], Bootstrap.DEFAULT_RESAMPLES, seed + i);
            rows.add(new IntervalRow(i, b.mean(), Wilson.interval95(pooledCorrect[i], pooledSize[i]), b,
                    mean(len[i]), bestShare[i], sole[i], tied[i]));
        }
        return new Disharmony(n, all.size(), rows, allTied,
                Bootstrap.mean95(diff, Bootstrap.DEFAULT_RESAMPLES, seed + 101),
                median(spread), mean(spread), Tally.of(all),
                Bootstrap.mean95(problemAcc, Bootstrap.DEFAULT_RESAMPLES, seed + 102),
                Bootstrap.mean95(problemLen, Bootstrap.DEFAULT_RESAMPLES, seed + 103));
    }

    /**
     * Solutions grouped by difficulty (easy, medium, hard, then others; {@value #NO_DIFFICULTY} when a
     * problem has none) and then by re-check count (ascending, as text: {@code "0"}, {@code "1"},
     * …), with solutions that did not parse under {@value #UNPARSEABLE}.
     */
    public static Map<String, Map<String, Tally>> byRechecks(List<ProblemSamples> problems) {
        Map<String, TreeMap<Integer, List<Solution>>> counted = new TreeMap<>(DIFFICULTY_ORDER);
        Map<String, List<Solution>> unparsed = new LinkedHashMap<>();
        for (ProblemSamples ps : problems) {
            String d = ps.difficulty() == null ? NO_DIFFICULTY : ps.difficulty();
            TreeMap<Integer, List<Solution>> byCount = counted.computeIfAbsent(d, x -> new TreeMap<>());
            List<Solution> bad = unparsed.computeIfAbsent(d, x -> new ArrayList<>());
            for (Solution s : ps.solutions()) {
                if (s.rechecks() == null) {
                    bad.add(s);
                } else {
                    byCount.computeIfAbsent(s.rechecks(), x -> new ArrayList<>()).add(s);
                }
            }
        }
        Map<String, Map<String, Tally>> out = new LinkedHashMap<>();
        counted.forEach((d, byCount) -> {
            Map<String, Tally> row = new LinkedHashMap<>();
            byCount.forEach((c, list) -> row.put(Integer.toString(c), Tally.of(list)));
            List<Solution> bad = unparsed.get(d);
            if (!bad.isEmpty()) {
                row.put(UNPARSEABLE, Tally.of(bad));
            }
            out.put(d, row);
        });
        return out;
    }

    /** All solutions per difficulty (easy, medium, hard, then others), plus every solution under {@code "all"} last. */
    public static Map<String, Tally> byDifficulty(List<ProblemSamples> problems) {
        Map<String, List<Solution>> groups = new TreeMap<>(DIFFICULTY_ORDER);
        List<Solution> all = new ArrayList<>();
        for (ProblemSamples ps : problems) {
            if (ps.difficulty() != null) {
                groups.computeIfAbsent(ps.difficulty(), x -> new ArrayList<>()).addAll(ps.solutions());
            }
            all.addAll(ps.solutions());
        }
        Map<String, Tally> out = new LinkedHashMap<>();
        groups.forEach((d, list) -> out.put(d, Tally.of(list)));
        out.put(NO_DIFFICULTY, Tally.of(all));
        return out;
    }

    /** Difficulty labels in reading order: easy, medium, hard, then any others by name, {@value #NO_DIFFICULTY} last. */
    public static final Comparator<String> DIFFICULTY_ORDER = Comparator
            .comparingInt((String d) -> switch (d) {
                case "easy" -> 0;
                case "medium" -> 1;
                case "hard" -> 2;
                case NO_DIFFICULTY -> 4;
                default -> 3;
            })
            .thenComparing(Comparator.naturalOrder());

    /** The problems of one difficulty. */
    public static List<ProblemSamples> ofDifficulty(List<ProblemSamples> problems, String difficulty) {
        return problems.stream().filter(p -> difficulty.equals(p.difficulty())).toList();
    }

    static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
