package org.o1pruner.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.sampler.PromptLoader;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.toyworld.ProblemFiles;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p prompts --dataset data/math_test.jsonl --k 16}: turns a JSON Lines data set (or
 * the toy world's {@code toy:train} / {@code toy:test} split) into prompt records with K, the
 * pruning round and the policy version to sample from, and produces them to the prompts topic
 * keyed by problem id. Lines that cannot become prompts (null or empty answers, junk) are
 * reported on stderr with their line numbers and skipped.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Load a data set (JSON Lines file or toy:train|toy:test) as prompts for the sampler.")
public final class PromptsCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true,
            description = "A JSON Lines file (id, problem, answer, dataset), or toy:train / toy:test.")
    String dataset;

    @Option(names = "--k", defaultValue = "16", description = "Samples per problem (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--round", defaultValue = "0", description = "Pruning round (default: ${DEFAULT-VALUE}).")
    int round;

    @Option(names = "--policy-version", defaultValue = "0",
            description = "Policy version to sample from (default: ${DEFAULT-VALUE}).")
    long policyVersion;

    @Option(names = "--variant", defaultValue = "default",
            description = "Prompt variant: default or fast (the fast-solving instruction).")
    String variant;

    @Option(names = "--split", description = "Data split to record (default: train when the name says so, else test).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Produce at most this many prompts (0 = all).")
    long limit;

    @Option(names = "--topic", defaultValue = Topics.PROMPTS, description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--dry-run", description = "Parse and report, produce nothing.")
    boolean dryRun;

    @Option(names = "--bootstrap", defaultValue = "${env:O1P_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $O1P_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        PromptLoader.Result r;
        try {
            r = load(System.currentTimeMillis());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("o1p prompts: " + e.getMessage());
            return 2;
        }
        report(r, System.err);
        if (!dryRun) {
            produce(r.prompts());
        }
        System.err.println("o1p prompts: " + r.prompts().size() + " prompts (K=" + k + ", round " + round
                + ", policy version " + policyVersion + ", variant " + variant + ")"
                + (dryRun ? " parsed, nothing produced" : " produced to " + topic)
                + (r.skippedCount() > 0 ? "; " + r.skippedCount() + " lines skipped" : ""));
        return 0;
    }

    /** Reads the data set named by {@code --dataset} into prompts. */
    PromptLoader.Result load(long nowMs) throws IOException {
        String v = variant.toLowerCase(Locale.ROOT);
        if (dataset.startsWith("toy:")) {
            Split s = switch (dataset.substring(4)) {
                case "train" -> Split.TRAIN;
                case "test" -> Split.TEST;
                default -> throw new IllegalArgumentException("unknown toy split '" + dataset.substring(4)
                        + "'; use toy:train or toy:test");
            };
            List<String> lines = ToyWorld.standard().problems(s).stream().map(ProblemFiles::toLine)
                    .collect(Collectors.toList());
            return PromptLoader.parse(lines, new PromptLoader.Options(s.dataset(), split, k, round, policyVersion, v,
                    limit, nowMs));
        }
        Path file = Path.of(dataset);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such data set file: " + file);
        }
        String name = file.getFileName().toString();
        String source = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return PromptLoader.load(in, new PromptLoader.Options(source, split, k, round, policyVersion, v, limit,
                    nowMs));
        }
    }

    static void report(PromptLoader.Result r, PrintStream err) {
        for (PromptLoader.Skipped s : r.skipped()) {
            err.println("line " + s.lineNumber() + ": skipped (" + s.reason().name().toLowerCase(Locale.ROOT) + "): "
                    + s.detail());
        }
    }

    private void produce(List<PromptRecord> prompts) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (PromptRecord r : prompts) {
                producer.send(new ProducerRecord<>(topic, Keys.of(r), Codecs.PROMPT.encode(r)));
            }
            producer.flush();
        }
    }

    /** For tests: parses a data set given as text. */
    static PromptLoader.Result parse(String text, PromptLoader.Options options) {
        return PromptLoader.load(new BufferedReader(new StringReader(text)), options);
    }
}
