package org.o1pruner.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.o1pruner.sampler.SamplerBenchmark;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.trainer.TrainerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p bench pipeline}: how much of the engine's own speed survives the services. Starts
 * an embedded broker and runs, one after the other, the sampler benchmark (generated tokens/s
 * through the sampler service against the engine's sampling rate on the same prompts) and the
 * trainer benchmark (trained response tokens/s through the trainer service against the engine's
 * raw training step), each with its engine figure measured before and after the service in the
 * same run. Target for both ratios: at least 0.9. Prints figures, then one JSON line.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Benchmark sampler and trainer services against the engine's own sampling and training rates.")
public final class BenchPipelineCommand implements Callable<Integer> {

    @Option(names = "--hidden", defaultValue = "128", description = "Random model width (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "4", description = "Random model layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--sampler-prompts", defaultValue = "256",
            description = "Prompts sampled; enough for several seconds of steady state (default: ${DEFAULT-VALUE}).")
    int samplerPrompts;

    @Option(names = "--sampler-k", defaultValue = "8", description = "Samples per prompt (default: ${DEFAULT-VALUE}).")
    int samplerK;

    @Option(names = "--max-new-tokens", defaultValue = "64",
            description = "Tokens generated per sample; a random model never stops early (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--sampler-batch", defaultValue = "16", description = "Sampling batch size (default: ${DEFAULT-VALUE}).")
    int samplerBatch;

    @Option(names = "--trainer-problems", defaultValue = "64", description = "Problems trained on (default: ${DEFAULT-VALUE}).")
    int trainerProblems;

    @Option(names = "--trainer-k", defaultValue = "8", description = "Scored samples per problem (default: ${DEFAULT-VALUE}).")
    int trainerK;

    @Option(names = "--micro-batch", defaultValue = "8", description = "Trainer micro-batch size (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--grad-accumulation", defaultValue = "4",
            description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int accumulation;

    @Override
    public Integer call() throws Exception {
        SamplerBenchmark.Params sp = new SamplerBenchmark.Params(samplerPrompts, samplerK, maxNewTokens, samplerBatch,
                hidden, layers);
        TrainerBenchmark.Params tp = new TrainerBenchmark.Params(hidden, layers, trainerProblems, trainerK, microBatch,
                accumulation);
        if (sp.prompts() < 1 || sp.k() < 1 || sp.maxNewTokens() < 1 || sp.batchSize() < 1) {
            throw new IllegalArgumentException("--sampler-prompts, --sampler-k, --max-new-tokens and --sampler-batch must be positive");
        }
        Path tmp = Files.createTempDirectory("o1p-bench-pipeline");
        SamplerBenchmark.Result s;
        TrainerBenchmark.Result t;
        try {
            System.out.println("bench pipeline: " + Runtime.getRuntime().availableProcessors() + " CPUs, embedded broker");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                s = SamplerBenchmark.run(broker.bootstrapServers(), Files.createDirectories(tmp.resolve("sampler")), sp);
                System.out.println("sampler: " + s);
                t = TrainerBenchmark.run(broker.bootstrapServers(), Files.createDirectories(tmp.resolve("trainer")), tp);
                System.out.println("trainer: " + t);
            }
        } finally {
            deleteTree(tmp);
        }
        System.out.printf(Locale.ROOT, "sampler ratio %.3f, trainer ratio %.3f (target >= 0.9 each)%n", s.ratio(), t.ratio());
        System.out.println(String.format(Locale.ROOT,
                "{\"benchmark\":\"pipeline\",\"hidden\":%d,\"layers\":%d,"
                        + "\"sampler\":{\"service_tokens_per_s\":%.1f,\"engine_tokens_per_s\":%.1f,\"ratio\":%.3f,"
                        + "\"engine_busy_fraction\":%.3f,\"tokens\":%d},"
                        + "\"trainer\":{\"service_tokens_per_s\":%.1f,\"engine_tokens_per_s\":%.1f,\"ratio\":%.3f,"
                        + "\"engine_busy_fraction\":%.3f,\"samples\":%d}}",
                hidden, layers, s.serviceTokensPerSecond(), s.engineTokensPerSecond(), s.ratio(), s.busyFraction(),
                s.serviceTokens(), t.serviceTokensPerSecond(), t.rawTokensPerSecond(), t.ratio(), t.busyFraction(),
                t.samples()));
        return 0;
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
