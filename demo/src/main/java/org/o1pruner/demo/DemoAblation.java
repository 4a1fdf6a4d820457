package org.o1pruner.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.trainer.core.SamplesPerProblem;

/**
 * {@code o1p demo --ablation}: the method's own knobs varied one at a time, as the paper does —
 * λ ∈ {0, 1, 2, 5} at the configured samples per problem, and samples per problem 2 against
 * all at the configured λ. Each variant is a whole run (its own broker, pre-sampling with the
 * same seed, baseline and O1-Pruner only: the baselines do not depend on these knobs); the
 * variants' reports go under {@code <report>/ablation/} and the comparison to
 * {@code ablation/README.md}.
 */
public final class DemoAblation {
    /** The λ values of the paper's ablation. */
    public static final List<Double> LAMBDAS = List.of(0.0, 1.0, 2.0, 5.0);

    /** One variant of the knobs. */
    public record Variant(double lambda, SamplesPerProblem samplesPerProblem) {
        /** A file-name-safe name, e.g. {@code lambda2-spp-all}. */
        public String name() {
            return String.format(Locale.ROOT, "lambda%s-spp-%s", trim(lambda), samplesPerProblem);
        }
    }

    /** A variant and what it measured. */
    public record Result(Variant variant, RunResults results) {}

    private DemoAblation() {}

    /** The variants for the configured knobs, without repeats, in run order. */
    public static List<Variant> variants(double lambda, SamplesPerProblem spp) {
        Set<Variant> out = new LinkedHashSet<>();
        for (double l : LAMBDAS) {
            out.add(new Variant(l, spp));
        }
        out.add(new Variant(lambda, new SamplesPerProblem(2)));
        out.add(new Variant(lambda, SamplesPerProblem.ALL));
        return new ArrayList<>(out);
    }

    /**
     * Runs every variant and writes the comparison table to {@code out}.
     *
     * @return the Markdown written
     */
    public static String run(DemoConfig.Settings settings, Path modelDir, PrintStream progress, Path out) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Variant v : variants(settings.lambda(), settings.samplesPerProblem())) {
            if (progress != null) {
                progress.println("o1p demo --ablation: variant " + v.name());
            }
            DemoConfig.Settings s = settings.withMethodKnobs(v.lambda(), v.samplesPerProblem(),
                    settings.reportDir().resolve("ablation").resolve(v.name()));
            results.add(new Result(v, new DemoRun(s, modelDir, progress, false).run().results()));
        }
        String md = markdown(settings, results);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        return md;
    }

    /** The ablation table: O1-Pruner against the baseline per variant, greedy and sampled. */
    static String markdown(DemoConfig.Settings settings, List<Result> results) {
        StringBuilder b = new StringBuilder("# O1-Pruner ablation (toy world)\n\n");
        b.append(String.format(Locale.ROOT, "Command: `o1p demo --ablation` with %d problems × K = %d, lr %.3g, %d epoch(s), "
                        + "%d test problems (sampled: %d per problem). Each variant is a separate run with the same seed. "
                        + "AES against the baseline of the same run and decoding (α=1, β=3, γ=5, formula as written).%n%n",
                settings.problems(), settings.k(), settings.lr(), settings.epochs(), settings.evalProblems(),
                settings.evalSamples()));
        b.append("| λ | samples per problem | decoding | baseline acc % | baseline length | O1-Pruner acc % | O1-Pruner length | AES |\n");
        b.append("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            for (Comparison.Row row : Comparison.rows(r.results().summaries(), AesWeights.PAPER)) {
                if (row.method() != Method.O1_PRUNER) {
                    continue;
                }
                EvalSummary base = r.results().summaries().get(Method.BASELINE).get(row.decoding());
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.3f |%n",
                        trim(r.variant().lambda()), r.variant().samplesPerProblem(), row.decoding().key(),
                        100 * base.accuracy(), base.meanLength(), 100 * row.summary().accuracy(),
                        row.summary().meanLength(), row.aes()));
            }
        }
        return b.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
