package org.o1pruner.launcher;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.o1pruner.demo.ModelLocator;
import org.o1pruner.toyworld.analysis.DisharmonyFiles;
import org.o1pruner.toyworld.analysis.DisharmonyReport;
import org.o1pruner.toyworld.analysis.DisharmonyRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o1p disharmony}: the paper's length-disharmony analysis (§3, Table 1, Figure 1) of a
 * model on a data set. Samples N solutions per problem with the sampler's default settings,
 * splits each problem's solutions into length intervals and reports accuracy per interval, how
 * often each interval is best, the length spread, greedy and fast-solving passes and, in the toy
 * world, accuracy by number of re-checks per difficulty. Writes {@code report.md},
 * {@code summary.json}, {@code per_problem.csv} and PNG charts; progress goes to stderr and the
 * last line of stdout is one JSON object with the headline figures.
 */
@Command(name = "disharmony", mixinStandardHelpOptions = true,
        description = "Length-disharmony analysis (paper §3): accuracy per length interval of N samples per problem.")
public final class DisharmonyCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "Model directory (default: the shipped toy reference model, "
            + "toy-world/reference-model under the repository root).")
    Path model;

    @Option(names = "--dataset", defaultValue = "toy:test",
            description = "toy:test, toy:train or a .jsonl file with id, problem, answer[, difficulty] (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--problems", defaultValue = "1000", description = "Problems from the start of the data set, 0 = all (default: ${DEFAULT-VALUE}).")
    int problems;

    @Option(names = "--samples", defaultValue = "16", description = "Sampled solutions per problem (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--fast-samples", defaultValue = "4",
            description = "Sampled solutions per problem under the fast-solving instruction, 0 = none (default: ${DEFAULT-VALUE}).")
    int fastSamples;

    @Option(names = "--intervals", defaultValue = "4", description = "Length intervals per problem (default: ${DEFAULT-VALUE}, as the paper).")
    int intervals;

    @Option(names = "--temperature", defaultValue = "" + DisharmonyRun.DEFAULT_TEMPERATURE,
            description = "Sampling temperature (default: ${DEFAULT-VALUE}, the sampler's and the paper's).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "" + DisharmonyRun.DEFAULT_TOP_P,
            description = "Nucleus mass (default: ${DEFAULT-VALUE}, the sampler's and the paper's).")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "" + DisharmonyRun.DEFAULT_MAX_NEW_TOKENS,
            description = "Token budget per solution (default: ${DEFAULT-VALUE}, enough for the longest toy trace).")
    int maxNewTokens;

    @Option(names = "--batch", defaultValue = "64", description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "1",
            description = "PyTorch intra-op threads; 1 is fastest when other processes share the cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of sampling and bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "docs/disharmony", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path modelDir;
        try {
            modelDir = model != null ? model
                    : ModelLocator.locate(java.util.Optional.empty(), System.getProperty("o1p.home"), Path.of(""));
        } catch (IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DisharmonyRun.Options options;
        try {
            options = new DisharmonyRun.Options(modelDir, dataset, problems, samples, fastSamples, intervals, temperature,
                    topP, maxNewTokens, batch, threads, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        System.err.printf(Locale.ROOT, "o1p disharmony: %s on %s, %d problems x %d samples (+ greedy, fast x %d), "
                + "temperature %s, top-p %s%n", modelDir, dataset, problems, samples, fastSamples, temperature, topP);
        DisharmonyRun.Result result = DisharmonyRun.run(options, System.err);
        DisharmonyReport report = DisharmonyFiles.write(result, commandLine(), out);
        System.err.println("o1p disharmony: report in " + out.toAbsolutePath());
        System.out.println(DisharmonyFiles.headlineJson(report));
        return 0;
    }

    /** The command as typed, for the report (every option spelled out, so it reruns exactly). */
    String commandLine() {
        return String.format(Locale.ROOT, "./o1p disharmony%s --dataset %s --problems %d --samples %d --fast-samples %d "
                        + "--intervals %d --temperature %s --top-p %s --max-new-tokens %d --batch %d --threads %d --seed %d "
                        + "--out %s", model == null ? "" : " --model " + model, dataset, problems, samples, fastSamples,
                intervals, temperature, topP, maxNewTokens, batch, threads, seed, out);
    }
}
