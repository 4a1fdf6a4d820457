package org.o1pruner.toyworld.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.o1pruner.grading.aes.Wilson;
import org.o1pruner.toyworld.analysis.DisharmonyRun.Pass;
import org.o1pruner.toyworld.analysis.DisharmonyRun.PassKind;
import org.o1pruner.toyworld.analysis.DisharmonyRun.Result;

/**
 * The disharmony report of a {@link Result}: the Markdown tables ({@code report.md}), the full
 * figures as a JSON-ready map ({@code summary.json}), the headline figures (the command's last
 * output line) and a per-problem CSV. Pure: turns numbers into text, writes nothing.
 */
public final class DisharmonyReport {

    /** The paper's §3 criterion: the shortest interval is within this many points of (or above) the longest. */
    public static final double DISHARMONY_POINTS = 5.0;
    /** The range the reference model's sampled accuracy should lie in for a meaningful analysis. */
    public static final double MIN_REFERENCE_ACCURACY = 0.40;
    /** See {@link #MIN_REFERENCE_ACCURACY}. */
    public static final double MAX_REFERENCE_ACCURACY = 0.90;

    /** File names of the charts, as the report links them. */
    public static final String CHART_INTERVALS = "accuracy_by_length_interval.png";
    /** Accuracy by number of re-checks per difficulty. */
    public static final String CHART_RECHECKS = "accuracy_by_rechecks.png";
    /** Length histogram. */
    public static final String CHART_LENGTHS = "length_histogram.png";

    private final Result result;
    private final String command;
    private final DisharmonyStats.Disharmony main;
    private final Map<String, DisharmonyStats.Disharmony> perDifficulty = new LinkedHashMap<>();

    /**
     * @param command the command line that made the run, quoted in the report
     */
    public DisharmonyReport(Result result, String command) {
        this.result = result;
        this.command = command;
        Pass sampled = result.pass(PassKind.SAMPLED);
        int k = result.options().intervals();
        long seed = result.options().seed();
        this.main = DisharmonyStats.disharmony(sampled.problems(), k, seed);
        for (String d : DisharmonyStats.byDifficulty(sampled.problems()).keySet()) {
            if (!d.equals(DisharmonyStats.NO_DIFFICULTY)) {
                perDifficulty.put(d, DisharmonyStats.disharmony(DisharmonyStats.ofDifficulty(sampled.problems(), d), k,
                        seed));
            }
        }
    }

    /** The interval figures over all problems. */
    public DisharmonyStats.Disharmony disharmony() {
        return main;
    }

    /** The interval figures per difficulty (empty when the data set has none). */
    public Map<String, DisharmonyStats.Disharmony> perDifficulty() {
        return perDifficulty;
    }

    /** Whether the shortest interval's mean accuracy is within {@link #DISHARMONY_POINTS} of, or above, the longest's. */
    public boolean shortWithinFivePoints() {
        return 100 * main.shortestMinusLongest().mean() >= -DISHARMONY_POINTS;
    }

    /** Re-checks tallies of the sampled pass, or an empty map outside the toy world. */
    public Map<String, Map<String, Tally>> rechecks() {
        return result.dataset().toy() ? DisharmonyStats.byRechecks(result.pass(PassKind.SAMPLED).problems()) : Map.of();
    }

    /** Whether any sampled solution's re-checks could be read (else there is nothing to plot). */
    public boolean hasParsedRechecks() {
        return rechecks().values().stream()
                .anyMatch(row -> row.keySet().stream().anyMatch(k -> !k.equals(DisharmonyStats.UNPARSEABLE)));
    }

    /** Per difficulty: solutions with no re-check and with at least one (unparseable ones left out). */
    public Map<String, Tally[]> noneVersusSome() {
        Map<String, Tally[]> out = new LinkedHashMap<>();
        if (!result.dataset().toy()) {
            return out;
        }
        Map<String, List<Solution>> none = new java.util.TreeMap<>(DisharmonyStats.DIFFICULTY_ORDER);
        Map<String, List<Solution>> some = new java.util.TreeMap<>(DisharmonyStats.DIFFICULTY_ORDER);
        for (ProblemSamples ps : result.pass(PassKind.SAMPLED).problems()) {
            String d = ps.difficulty() == null ? DisharmonyStats.NO_DIFFICULTY : ps.difficulty();
            for (Solution s : ps.solutions()) {
                if (s.rechecks() != null) {
                    (s.rechecks() == 0 ? none : some).computeIfAbsent(d, x -> new ArrayList<>()).add(s);
                }
            }
            none.computeIfAbsent(d, x -> new ArrayList<>());
            some.computeIfAbsent(d, x -> new ArrayList<>());
        }
        none.forEach((d, list) -> out.put(d, new Tally[] {Tally.of(list), Tally.of(some.get(d))}));
        return out;
    }

    /** The Markdown report. */
    public String markdown() {
        DisharmonyRun.Options o = result.options();
        Pass sampled = result.pass(PassKind.SAMPLED);
        StringBuilder sb = new StringBuilder();
        sb.append("# Length disharmony: ").append(o.modelDir().getFileName()).append(" on ")
                .append(result.dataset().name()).append("\n\n");
        sb.append("The paper's §3 analysis (O1-Pruner, arXiv 2501.12570, Table 1 and Figure 1): sample ")
                .append(o.samples()).append(" solutions per problem, sort each problem's solutions by length, cut them into ")
                .append(o.intervals()).append(" equal-size length intervals (shortest first), and compare the accuracy of the"
                        + " intervals per problem and on average over problems.\n\n");
        sb.append("Command (from the repository root):\n\n```\n").append(command).append("\n```\n\n");
        sb.append(String.format(Locale.ROOT, "- model: `%s` (sha-256 of its `o1p-manifest.json`: %s); device %s%n",
                o.modelDir(), result.modelId(), result.device()));
        sb.append(String.format(Locale.ROOT, "- data set: `%s` (%s), %d problems (the first %d)%s%n", o.dataset(),
                result.dataset().name(), result.dataset().problems().size(), result.dataset().problems().size(),
                result.dataset().skipped() > 0 ? ", " + result.dataset().skipped() + " unusable lines skipped" : ""));
        sb.append(String.format(Locale.ROOT, "- sampling: temperature %s, top-p %s, no top-k (the sampler service's "
                        + "defaults, the paper's pre-sampling setting), at most %d new tokens, seed %d; greedy = "
                        + "temperature 0%n", num(o.temperature()), num(o.topP()), o.maxNewTokens(), o.seed()));
        sb.append(String.format(Locale.ROOT, "- passes: %d samples per problem (default instruction), 1 greedy, "
                + "%d samples and 1 greedy under the fast-solving instruction; batch %d, %d intra-op thread(s)%n",
                o.samples(), o.fastSamples(), o.batch(), o.threads()));
        sb.append("- lengths are response tokens (end-of-sequence excluded); accuracy is the grader's 0/1 against the "
                + "ground truth; 95 % intervals are Wilson's over pooled solutions (treats samples as independent, so "
                + "somewhat narrow) and, for means over problems, a percentile bootstrap over problems (2,000 "
                + "resamples)\n");
        sb.append(String.format(Locale.ROOT, "- wall time %.0f s:", result.seconds()));
        for (Pass p : result.passes()) {
            sb.append(String.format(Locale.ROOT, " %s %.0f s (%.0f tokens/s);", p.kind().label(), p.seconds(),
                    p.tokens() / Math.max(1e-9, p.seconds())));
        }
        sb.setLength(sb.length() - 1);
        sb.append("\n\n");

        sb.append("## Headline\n\n| pass | solutions | accuracy | Wilson 95 % | mean length | finished |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Pass p : result.passes()) {
            Tally t = Tally.of(all(p));
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %s |%n", p.kind().label(), t.solutions(),
                    pct(t.accuracy()), ci(t.accuracy95()), t.meanTokens(), pct((double) t.finished() / t.solutions())));
        }
        double ref = main.overall().accuracy();
        sb.append(String.format(Locale.ROOT, "%nSampled accuracy of the reference model: %s %s, %s the %s–%s range in "
                        + "which the analysis is meaningful.%n%n", pct(ref), ci(main.overall().accuracy95()),
                ref >= MIN_REFERENCE_ACCURACY && ref <= MAX_REFERENCE_ACCURACY ? "inside" : "outside",
                pct(MIN_REFERENCE_ACCURACY), pct(MAX_REFERENCE_ACCURACY)));

        sb.append("## Accuracy by length interval (Table 1, Figure 1)\n\n");
        intervalTable(sb, main);
        sb.append(String.format(Locale.ROOT, "%nBest interval: a problem's best intervals are those with its highest "
                        + "accuracy; when several tie, each gets an equal share (\"best, ties split\" sums to the number "
                        + "of problems), \"sole best\" counts problems where one interval alone is best and \"tied\" "
                        + "those where it shares the top. %d of %d problems have the same accuracy in every interval "
                        + "(all solutions right, or all wrong) and count 1/k for each of the k intervals.%n%n", main.allTied(), main.problems()));
        Bootstrap.Interval d = main.shortestMinusLongest();
        sb.append(String.format(Locale.ROOT, "**Length disharmony (paper §3):** shortest interval minus longest interval, "
                        + "mean over problems: %+.1f points (bootstrap 95 %% [%+.1f, %+.1f]). Criterion \"shortest within "
                        + "%.0f points of, or above, the longest\": **%s**.%n%n", 100 * d.mean(), 100 * d.low(),
                100 * d.high(), DISHARMONY_POINTS, shortWithinFivePoints() ? "met" : "not met"));
        sb.append(String.format(Locale.ROOT, "**Length spread per problem:** longest / shortest sampled solution, median "
                + "over problems %.2f (mean %.2f). Mean length over problems %.1f tokens (bootstrap 95 %% [%.1f, %.1f])."
                + "%n%n", main.spreadMedian(), main.spreadMean(), main.meanLength().mean(), main.meanLength().low(),
                main.meanLength().high()));
        for (Map.Entry<String, DisharmonyStats.Disharmony> e : perDifficulty.entrySet()) {
            sb.append("### ").append(e.getKey()).append(" problems (").append(e.getValue().problems()).append(")\n\n");
            intervalTable(sb, e.getValue());
            Bootstrap.Interval dd = e.getValue().shortestMinusLongest();
            sb.append(String.format(Locale.ROOT, "%nShortest minus longest: %+.1f points [%+.1f, %+.1f]; length spread "
                    + "median %.2f.%n%n", 100 * dd.mean(), 100 * dd.low(), 100 * dd.high(), e.getValue().spreadMedian()));
        }

        Map<String, Map<String, Tally>> rechecks = rechecks();
        if (!rechecks.isEmpty()) {
            sb.append("## Accuracy by number of re-checks (sampled solutions)\n\nRe-checks are read from each "
                    + "solution's text with the toy trace grammar (`TraceShape`); solutions whose text does not follow "
                    + "it are counted as unparseable.\n\n| difficulty | re-checks | solutions | share | accuracy | "
                    + "Wilson 95 % | mean length |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
            rechecks.forEach((diff, row) -> {
                long total = row.values().stream().mapToLong(Tally::solutions).sum();
                row.forEach((count, t) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.1f |%n",
                        diff, count, t.solutions(), pct((double) t.solutions() / total), pct(t.accuracy()),
                        ci(t.accuracy95()), t.meanTokens())));
            });
            Map<String, Tally> fastFirstPass = fastWithoutRechecks();
            sb.append("\n| difficulty | 0 re-checks (default instruction) | ≥ 1 re-check | 0 re-checks (fast instruction) "
                    + "| re-checks vs none | verdict |\n| --- | ---: | ---: | ---: | ---: | --- |\n");
            noneVersusSome().forEach((diff, pair) -> {
                Tally fast0 = fastFirstPass.getOrDefault(diff, Tally.of(List.of()));
                Tally none = pair[0].solutions() > 0 ? pair[0] : fast0;
                String against = pair[0].solutions() > 0 ? "" : " (vs fast)";
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", diff, cell(pair[0]),
                        cell(pair[1]), cell(fast0), none.solutions() == 0 || pair[1].solutions() == 0 ? "–"
                                : String.format(Locale.ROOT, "%+.1f points%s", 100 * (pair[1].accuracy() - none.accuracy()),
                                        against), verdict(none, pair[1]) + against));
            });
            sb.append("\nCells: accuracy, Wilson 95 % interval, (solutions). Verdict: \"pays off\" when the 95 % intervals "
                    + "of the two accuracies do not overlap and re-checked solutions are more accurate, \"hurts\" when "
                    + "they do not overlap the other way, else \"no clear difference\". When the default instruction "
                    + "never produced a solution without re-checks, the comparison is against the fast instruction's "
                    + "solutions without re-checks (a first pass only), marked \"vs fast\"; that also changes the "
                    + "prompt, so it is the closer but not a perfect control.\n\n");
        }

        sb.append("## Fast-solving instruction\n\nThe paper's suffix \"Be confident. Solving this problem quickly with less "
                + "pause, stop or reflection.\" against the default instruction.\n\n| difficulty |");
        List<Pass> passes = result.passes();
        for (Pass p : passes) {
            sb.append(' ').append(p.kind().label()).append(" accuracy | ").append(p.kind().label()).append(" length |");
        }
        sb.append("\n| ---").append(" | ---: | ---:".repeat(passes.size())).append(" |\n");
        List<Map<String, Tally>> byDiff = passes.stream().map(p -> DisharmonyStats.byDifficulty(p.problems())).toList();
        for (String diff : byDiff.get(0).keySet()) {
            sb.append("| ").append(diff).append(" |");
            for (Map<String, Tally> m : byDiff) {
                Tally t = m.get(diff);
                sb.append(String.format(Locale.ROOT, " %s %s | %.1f |", pct(t.accuracy()), ci(t.accuracy95()),
                        t.meanTokens()));
            }
            sb.append('\n');
        }
        Pass fast = result.pass(PassKind.FAST_SAMPLED);
        if (fast != null) {
            Tally f = Tally.of(all(fast));
            sb.append(String.format(Locale.ROOT, "%nFast sampled vs default sampled: length ×%.2f, accuracy %+.1f points.%n",
                    f.meanTokens() / Math.max(1e-9, main.overall().meanTokens()),
                    100 * (f.accuracy() - main.overall().accuracy())));
        }

        sb.append("\n## Figures\n\n");
        sb.append("![accuracy by length interval](").append(CHART_INTERVALS).append(")\n\n");
        if (hasParsedRechecks()) {
            sb.append("![accuracy by re-checks](").append(CHART_RECHECKS).append(")\n\n");
        }
        sb.append("![length histogram](").append(CHART_LENGTHS).append(")\n\n");
        sb.append("Per-problem interval accuracies and lengths: `per_problem.csv`; every figure above: `summary.json`.\n");
        return sb.toString();
    }

    /** Fast-instruction sampled solutions whose text parsed with no re-check, per difficulty. */
    public Map<String, Tally> fastWithoutRechecks() {
        Map<String, Tally> out = new LinkedHashMap<>();
        Pass fast = result.pass(PassKind.FAST_SAMPLED);
        if (fast == null || !result.dataset().toy()) {
            return out;
        }
        DisharmonyStats.byRechecks(fast.problems()).forEach((d, row) -> {
            if (row.containsKey("0")) {
                out.put(d, row.get("0"));
            }
        });
        return out;
    }

    private static String cell(Tally t) {
        return t.solutions() == 0 ? "– (0)" : pct(t.accuracy()) + " " + ci(t.accuracy95()) + " (" + t.solutions() + ")";
    }

    private static String verdict(Tally none, Tally some) {
        if (none.solutions() == 0 || some.solutions() == 0) {
            return "not measurable";
        }
        Wilson.Interval a = none.accuracy95();
        Wilson.Interval b = some.accuracy95();
        if (b.low() > a.high()) {
            return "pays off";
        }
        if (b.high() < a.low()) {
            return "hurts";
        }
        return "no clear difference";
    }

    private void intervalTable(StringBuilder sb, DisharmonyStats.Disharmony dh) {
        sb.append("| length interval | mean length | accuracy | Wilson 95 % | bootstrap 95 % | best, ties split | "
                + "sole best | tied best |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (DisharmonyStats.IntervalRow r : dh.intervals()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | [%s, %s] | %.1f (%s) | %d | %d |%n",
                    intervalName(r.index(), dh.intervals().size()), r.meanTokens(), pct(r.accuracy()), ci(r.wilson()),
                    String.format(Locale.ROOT, "%.1f", 100 * r.bootstrap().low()),
                    String.format(Locale.ROOT, "%.1f", 100 * r.bootstrap().high()), r.bestShare(),
                    pct(r.bestShare() / dh.problems()), r.soleBest(), r.tiedBest()));
        }
    }

    /** "1 (shortest)", …, "4 (longest)". */
    static String intervalName(int index, int k) {
        return (index + 1) + (index == 0 ? " (shortest)" : index == k - 1 ? " (longest)" : "");
    }

    /** The headline figures: the command's last output line. */
    public Map<String, Object> headline() {
        Map<String, Object> h = new LinkedHashMap<>();
        DisharmonyRun.Options o = result.options();
        h.put("dataset", result.dataset().name());
        h.put("problems", main.problems());
        h.put("samples", o.samples());
        h.put("temperature", o.temperature());
        h.put("top_p", o.topP());
        for (Pass p : result.passes()) {
            Tally t = Tally.of(all(p));
            String key = p.kind().name().toLowerCase(Locale.ROOT);
            h.put(key + "_accuracy", round(t.accuracy()));
            h.put(key + "_mean_length", round(t.meanTokens()));
        }
        h.put("interval_accuracy", main.intervals().stream().map(r -> round(r.accuracy())).toList());
        h.put("interval_mean_length", main.intervals().stream().map(r -> round(r.meanTokens())).toList());
        h.put("best_interval_share", main.intervals().stream().map(r -> round(r.bestShare() / main.problems())).toList());
        h.put("shortest_minus_longest_points", round(100 * main.shortestMinusLongest().mean()));
        h.put("short_within_5_points", shortWithinFivePoints());
        h.put("length_spread_median", round(main.spreadMedian()));
        Tally[] hard = noneVersusSome().get("hard");
        if (hard != null && hard[1].solutions() > 0) {
            h.put("hard_accuracy_with_recheck", round(hard[1].accuracy()));
            if (hard[0].solutions() > 0) {
                h.put("hard_accuracy_no_recheck", round(hard[0].accuracy()));
            }
            Tally fast0 = fastWithoutRechecks().get("hard");
            if (fast0 != null && fast0.solutions() > 0) {
                h.put("hard_accuracy_fast_no_recheck", round(fast0.accuracy()));
            }
        }
        h.put("seconds", round(result.seconds()));
        return h;
    }

    /** Every figure of the report, for {@code summary.json}. */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        DisharmonyRun.Options o = result.options();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("command", command);
        settings.put("model", o.modelDir().toString());
        settings.put("model_manifest_sha256", result.modelId());
        settings.put("dataset", o.dataset());
        settings.put("problems", result.dataset().problems().size());
        settings.put("skipped_lines", result.dataset().skipped());
        settings.put("samples", o.samples());
        settings.put("fast_samples", o.fastSamples());
        settings.put("intervals", o.intervals());
        settings.put("temperature", o.temperature());
        settings.put("top_p", o.topP());
        settings.put("top_k", 0);
        settings.put("max_new_tokens", o.maxNewTokens());
        settings.put("batch", o.batch());
        settings.put("threads", o.threads());
        settings.put("seed", o.seed());
        settings.put("device", result.device());
        s.put("settings", settings);
        Map<String, Object> passes = new LinkedHashMap<>();
        for (Pass p : result.passes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", round(p.seconds()));
            m.put("tokens", p.tokens());
            Map<String, Object> diffs = new LinkedHashMap<>();
            DisharmonyStats.byDifficulty(p.problems()).forEach((d, t) -> diffs.put(d, tally(t)));
            m.put("by_difficulty", diffs);
            passes.put(p.kind().name().toLowerCase(Locale.ROOT), m);
        }
        s.put("passes", passes);
        s.put("length_intervals", disharmony(main));
        Map<String, Object> per = new LinkedHashMap<>();
        perDifficulty.forEach((d, dh) -> per.put(d, disharmony(dh)));
        s.put("length_intervals_by_difficulty", per);
        Map<String, Object> re = new LinkedHashMap<>();
        rechecks().forEach((d, row) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            row.forEach((c, t) -> r.put(c, tally(t)));
            re.put(d, r);
        });
        s.put("rechecks", re);
        s.put("headline", headline());
        return s;
    }

    /** One CSV line per problem: id, difficulty, then accuracy and mean length of each interval. */
    public String perProblemCsv() {
        int k = result.options().intervals();
        StringBuilder sb = new StringBuilder("id,difficulty");
        for (int i = 1; i <= k; i++) {
            sb.append(",acc_").append(i);
        }
        for (int i = 1; i <= k; i++) {
            sb.append(",len_").append(i);
        }
        sb.append(",best\n");
        for (ProblemSamples ps : result.pass(PassKind.SAMPLED).problems()) {
            List<LengthIntervals.Interval> parts = LengthIntervals.of(ps.solutions(), k);
            sb.append(ps.id()).append(',').append(ps.difficulty() == null ? "" : ps.difficulty());
            for (LengthIntervals.Interval it : parts) {
                sb.append(',').append(String.format(Locale.ROOT, "%.4f", it.accuracy()));
            }
            for (LengthIntervals.Interval it : parts) {
                sb.append(',').append(String.format(Locale.ROOT, "%.2f", it.meanTokens()));
            }
            sb.append(',').append(String.join("|", LengthIntervals.best(parts).stream()
                    .map(i -> Integer.toString(i + 1)).toList())).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> disharmony(DisharmonyStats.Disharmony dh) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("problems", dh.problems());
        m.put("solutions", dh.solutions());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DisharmonyStats.IntervalRow r : dh.intervals()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("interval", r.index() + 1);
            row.put("mean_length", round(r.meanTokens()));
            row.put("accuracy", round(r.accuracy()));
            row.put("wilson95", List.of(round(r.wilson().low()), round(r.wilson().high())));
            row.put("bootstrap95", List.of(round(r.bootstrap().low()), round(r.bootstrap().high())));
            row.put("best_ties_split", round(r.bestShare()));
            row.put("sole_best", r.soleBest());
            row.put("tied_best", r.tiedBest());
            rows.add(row);
        }
        m.put("intervals", rows);
        m.put("all_tied", dh.allTied());
        m.put("shortest_minus_longest", List.of(round(dh.shortestMinusLongest().mean()),
                round(dh.shortestMinusLongest().low()), round(dh.shortestMinusLongest().high())));
        m.put("length_spread_median", round(dh.spreadMedian()));
        m.put("length_spread_mean", round(dh.spreadMean()));
        m.put("accuracy_pooled", tally(dh.overall()));
        m.put("mean_length", List.of(round(dh.meanLength().mean()), round(dh.meanLength().low()),
                round(dh.meanLength().high())));
        return m;
    }

    private static Map<String, Object> tally(Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("solutions", t.solutions());
        m.put("correct", t.correct());
        m.put("accuracy", round(t.accuracy()));
        m.put("wilson95", List.of(round(t.accuracy95().low()), round(t.accuracy95().high())));
        m.put("mean_length", round(t.meanTokens()));
        m.put("finished", t.finished());
        return m;
    }

    static List<Solution> all(Pass p) {
        List<Solution> out = new ArrayList<>();
        p.problems().forEach(ps -> out.addAll(ps.solutions()));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * f);
    }

    static String ci(Wilson.Interval i) {
        return String.format(Locale.ROOT, "[%.1f, %.1f]", 100 * i.low(), 100 * i.high());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
