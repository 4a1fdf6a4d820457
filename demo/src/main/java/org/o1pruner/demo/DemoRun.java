package org.o1pruner.demo;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.eval.EvalDataset;
import org.o1pruner.eval.EvalModel;
import org.o1pruner.eval.EvalService;
import org.o1pruner.eval.Evaluator;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.Grader;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.model.GradMode;
import org.o1pruner.reward.RewardConfig;
import org.o1pruner.reward.RewardService;
import org.o1pruner.reward.RewardTopics;
import org.o1pruner.runtime.BrokerCheck;
import org.o1pruner.runtime.ServiceShell;
import org.o1pruner.sampler.SamplerConfig;
import org.o1pruner.sampler.SamplerService;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.EvalRecord;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyProblem;
import org.o1pruner.toyworld.ToyWorld;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.SamplesPerProblem;
import org.o1pruner.trainer.core.Tracked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-JVM main job: embedded broker, one {@code /metrics} for every service, reward and
 * sampler services pre-sampling K solutions per training problem, the trainer service training
 * O1-Pruner (its checkpoints judged by the eval service as they appear), then the SFT and DPO
 * baselines from the same scored samples, then every method evaluated greedy and sampled on the
 * toy test split, and the report written.
 *
 * <p>Phases run one after another to bound CPU on small machines (the eval service judges
 * O1-Pruner's checkpoints while it trains). Everything started is closed in reverse order:
 * clients and loops, services, the HTTP shell, the broker. Each long phase draws a progress bar
 * on the given stream.
 */
public final class DemoRun {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    /** Run id of the demo's metrics and of the O1-Pruner training run. */
    public static final String RUN_ID = "demo";
    private static final String TEST_SET = Split.TEST.dataset();
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(10);

    private final DemoConfig.Settings settings;
    private final Path modelDir;
    private final PrintStream progress;
    private final boolean baselines;
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private volatile int metricsPort = -1;

    /** What a run produced. */
    public record Outcome(Path reportDir, String table, RunResults results) {}

    /**
     * @param modelDir the reference model (see {@link ModelLocator})
     * @param progress where progress bars go (stderr), or null for none
     */
    public DemoRun(DemoConfig.Settings settings, Path modelDir, PrintStream progress) {
        this(settings, modelDir, progress, true);
    }

    /**
     * @param baselines false to run only the baseline and O1-Pruner (ablations: the fast prompt,
     *                  SFT and DPO do not depend on O1-Pruner's knobs)
     */
    public DemoRun(DemoConfig.Settings settings, Path modelDir, PrintStream progress, boolean baselines) {
        this.settings = settings;
        this.modelDir = modelDir.toAbsolutePath();
        this.progress = progress;
        this.baselines = baselines;
    }

    /** The port serving /metrics while the run is going; -1 before the HTTP server started. */
    public int metricsPort() {
        return metricsPort;
    }

    /** Runs every phase and writes the report; the broker, services and HTTP server are closed on return. */
    public Outcome run() throws Exception {
        Deque<AutoCloseable> open = new ArrayDeque<>();
        boolean tempWork = settings.workDir().isEmpty();
        Path work = tempWork ? Files.createTempDirectory("o1p-demo-") : Files.createDirectories(settings.workDir().get());
        try {
            return run(open, work);
        } finally {
            closeAll(open);
            if (tempWork) {
                deleteTree(work);
            }
        }
    }

    private Outcome run(Deque<AutoCloseable> open, Path work) throws Exception {
        long t0 = System.nanoTime();
        // broker and topics
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        open.push(broker);
        createTopics(broker);
        String bootstrap = broker.bootstrapServers();
        // one registry and one HTTP server for every service in this JVM
        PrometheusMeterRegistry registry = ServiceShell.newRegistry(DemoConfig.SERVICE, RUN_ID);
        BrokerCheck brokerCheck = new BrokerCheck(bootstrap, Duration.ofSeconds(3));
        ServiceShell shell = ServiceShell.builder(DemoConfig.SERVICE, RUN_ID).optRegistry(registry)
                .optPort(settings.httpPort()).addReadiness("broker", brokerCheck).addResource(brokerCheck).start();
        open.push(shell);
        metricsPort = shell.actualPort();
        info("broker " + bootstrap + "; /health /ready /metrics on port " + shell.actualPort());
        phase("start", t0);

        Map<String, String> common = Map.of("O1P_KAFKA_BOOTSTRAP", bootstrap, "O1P_RUN_ID", RUN_ID);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap));
        open.push(producer);

        // pre-sampling: prompts -> sampler -> samples -> reward -> scored
        t0 = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> scoredRaw;
        try (RewardService reward = RewardService.start(RewardConfig.load(with(common,
                "O1P_REWARD_LAMBDA", Double.toString(settings.lambda()), "O1P_REWARD_GROUP_TIMEOUT", "1h")), registry);
             SamplerService sampler = SamplerService.start(SamplerConfig.load(with(common,
                "O1P_SAMPLER_MODEL_DIR", modelDir.toString(),
                "O1P_SAMPLER_TEMPERATURE", Double.toString(settings.temperature()),
                "O1P_SAMPLER_TOP_P", Double.toString(settings.topP()),
                "O1P_SAMPLER_MAX_NEW_TOKENS", Integer.toString(settings.maxNewTokens()),
                "O1P_SAMPLER_SEED", Long.toString(settings.seed()),
                "O1P_SAMPLER_BATCH_SIZE", Integer.toString(settings.generationBatch()),
                "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", Integer.toString(Math.max(1, 2 * settings.generationBatch() / settings.k())),
                "O1P_SAMPLER_THREADS", Integer.toString(settings.threads()),
                "O1P_SAMPLER_DEVICE", "cpu")), registry)) {
            producePrompts(producer);
            scoredRaw = awaitScored(bootstrap, (long) settings.problems() * settings.k(), reward, sampler);
        }
        List<ScoredRecord> scored = new ArrayList<>();
        List<Tracked> tracked = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : scoredRaw) {
            ScoredRecord s = Codecs.SCORED.decode(r.value());
            scored.add(s);
            tracked.add(new Tracked(r.partition(), r.offset(), s));
        }
        RunResults.Presampling presampling = PresampleStats.of(scored);
        info(String.format(Locale.ROOT, "pre-sampled %d solutions: accuracy %.1f %%, mean length %.1f, longest/shortest %.2f",
                presampling.samples(), 100 * presampling.accuracy(), presampling.meanLength(),
                presampling.meanLongestOverShortest()));
        phase("pre-sampling", t0);

        // further epochs of O1-Pruner: the scored records again, after the first pass (one partition keeps the order)
        for (int e = 1; e < settings.epochs(); e++) {
            for (ConsumerRecord<byte[], byte[]> r : scoredRaw) {
                producer.send(new ProducerRecord<>(Topics.SCORED, 0, r.key(), r.value()));
            }
        }
        producer.flush();

        TrainerRun trainers = new TrainerRun(settings, modelDir, progress);
        Map<Method, RunResults.Training> training = new EnumMap<>(Method.class);
        Map<Method, Path> trainedDirs = new EnumMap<>(Method.class);
        List<RunResults.CheckpointPoint> points;

        // O1-Pruner, judged checkpoint by checkpoint by the eval service
        t0 = System.nanoTime();
        EvalService evalService = EvalService.start(EvalService.load(with(common,
                "O1P_EVAL_DATASETS", TEST_SET,
                "O1P_EVAL_MAX_PROBLEMS", Integer.toString(settings.evalProblems()),
                "O1P_EVAL_MAX_NEW_TOKENS", Integer.toString(settings.maxNewTokens()),
                "O1P_EVAL_BATCH_SIZE", Integer.toString(settings.generationBatch()),
                "O1P_EVAL_BASELINE_DIR", modelDir.toString(),
                "O1P_EVAL_SEED", Long.toString(settings.seed()),
                "O1P_EVAL_DEVICE", "cpu")), registry);
        open.push(evalService);
        long lhItems = PresampleStats.trainingItems(Objective.LENGTH_HARMONIZING, settings.samplesPerProblem(), tracked)
                * settings.epochs();
        TrainerRun.Trained o1 = trainers.train(Method.O1_PRUNER, Objective.LENGTH_HARMONIZING, lhItems, settings.lr(), settings.epochs(),
                settings.samplesPerProblem(), settings.checkpoints(), bootstrap, work, registry);
        training.put(Method.O1_PRUNER, o1.training());
        o1.dir().ifPresent(d -> trainedDirs.put(Method.O1_PRUNER, d));
        phase("train O1-Pruner", t0);
        t0 = System.nanoTime();
        List<Long> versions = new ArrayList<>();
        versions.add(0L);
        o1.checkpoints().forEach(c -> versions.add(c.version()));
        // without a checkpoint the eval service has nothing to judge (not even the baseline): the library call does it
        Map<Long, EvalRecord> judged = o1.checkpoints().isEmpty() ? Map.of() : awaitEvals(bootstrap, versions, evalService);
        open.remove(evalService);
        evalService.close();
        points = new ArrayList<>();
        Map<Long, Long> stepOf = new HashMap<>();
        o1.checkpoints().forEach(c -> stepOf.put(c.version(), c.step()));
        for (EvalRecord e : judged.values()) {
            points.add(new RunResults.CheckpointPoint(e.version(), stepOf.getOrDefault(e.version(), 0L), e.n(), e.correct(),
                    e.accuracy(), e.meanLength(), e.aes(), e.aesPaper(), e.promoted()));
        }
        points.sort(Comparator.comparingLong(RunResults.CheckpointPoint::version));
        phase("eval service (O1-Pruner checkpoints)", t0);

        // the baselines, from the same scored samples, one epoch at the fixed baseline learning rate
        for (Method m : baselines ? List.of(Method.SFT, Method.DPO) : List.<Method>of()) {
            t0 = System.nanoTime();
            Objective objective = m == Method.SFT ? Objective.SFT : Objective.DPO;
            long items = PresampleStats.trainingItems(objective, SamplesPerProblem.ALL, tracked);
            TrainerRun.Trained t = trainers.train(m, objective, items, settings.baselineLr(), 1, SamplesPerProblem.ALL, 1, bootstrap, work,
                    new SimpleMeterRegistry());
            training.put(m, t.training());
            t.dir().ifPresent(d -> trainedDirs.put(m, d));
            phase("train " + m.title(), t0);
        }

        // evaluations: greedy and sampled for every method (greedy of baseline and O1-Pruner from the eval service)
        t0 = System.nanoTime();
        Map<Method, Map<Comparison.Decoding, RunResults.Evaluated>> evaluations = evaluateAll(trainedDirs, judged,
                o1.training().version());
        phase("evaluation", t0);

        t0 = System.nanoTime();
        RunResults results = new RunResults(settings.describe(), presampling, training, evaluations, points, phaseSeconds,
                modelDir.toString(), shell.actualPort());
        String table = new ReportWriter(AesWeights.PAPER).write(settings.reportDir(), results);
        phase("report", t0);
        return new Outcome(settings.reportDir(), table, results);
    }

    private void createTopics(EmbeddedKafkaBroker broker) {
        int p = settings.partitions();
        broker.createTopic(Topics.PROMPTS, p, Map.of());
        broker.createTopic(Topics.SAMPLES, p, Map.of());
        // one partition: the trainers read the scored samples in the order they were scored, epochs after each other
        broker.createTopic(Topics.SCORED, 1, Map.of());
        broker.createTopic(Topics.CHECKPOINTS, 1, Map.of());
        broker.createTopic(Topics.EVALS, 1, Map.of());
        broker.createTopic(Topics.DEAD_LETTER, p, Map.of());
        broker.createTopic(RewardTopics.CHANGELOG, p, RewardTopics.CHANGELOG_CONFIGS);
    }

    private void producePrompts(KafkaProducer<byte[], byte[]> producer) {
        List<ToyProblem> problems = ToyWorld.standard().problems(Split.TRAIN);
        if (settings.problems() > problems.size()) {
            throw new IllegalArgumentException("only " + problems.size() + " training problems, asked for " + settings.problems());
        }
        long now = System.currentTimeMillis();
        for (ToyProblem p : problems.subList(0, settings.problems())) {
            PromptRecord r = new PromptRecord(p.id(), p.dataset(), "train", p.problem(), p.answer(), settings.k(), 0, 0,
                    PromptRecord.VARIANT_DEFAULT, now).validate();
            producer.send(new ProducerRecord<>(Topics.PROMPTS, Keys.of(r), Codecs.PROMPT.encode(r)));
        }
        producer.flush();
    }

    /** Reads the scored topic until {@code expected} committed records arrived. */
    private List<ConsumerRecord<byte[], byte[]>> awaitScored(String bootstrap, long expected, RewardService reward,
                                                             SamplerService sampler) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long correct = 0;
        long length = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap));
             Progress bar = new Progress(progress, "pre-sampling (scored)", expected)) {
            List<TopicPartition> parts = partitions(consumer, Topics.SCORED);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long lastProgress = System.nanoTime();
            while (out.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r);
                    ScoredRecord s = Codecs.SCORED.decode(r.value());
                    correct += s.correct() ? 1 : 0;
                    length += s.length();
                    lastProgress = System.nanoTime();
                }
                int n = out.size();
                bar.update(n, n == 0 ? "" : String.format(Locale.ROOT, "acc %.1f%% len %.0f", 100.0 * correct / n,
                        (double) length / n));
                sampler.loop().failure().ifPresent(f -> {
                    throw new IllegalStateException("the sampler stopped: " + f, f);
                });
                reward.loop().failure().ifPresent(f -> {
                    throw new IllegalStateException("the reward service stopped: " + f, f);
                });
                if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no scored sample arrived for " + STALL_TIMEOUT + " (" + n + " of "
                            + expected + ")");
                }
            }
        }
        return out.subList(0, (int) expected);
    }

    /** Reads the evals topic until the eval service has judged every version (greedy, the test set). */
    private Map<Long, EvalRecord> awaitEvals(String bootstrap, List<Long> versions, EvalService service)
            throws InterruptedException {
        Map<Long, EvalRecord> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap));
             Progress bar = new Progress(progress, "eval service (checkpoints)", versions.size())) {
            List<TopicPartition> parts = partitions(consumer, Topics.EVALS);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long lastProgress = System.nanoTime();
            while (!out.keySet().containsAll(versions)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    EvalRecord e = Codecs.EVAL.decode(r.value());
                    if (e.runId().equals(RUN_ID) && e.dataset().equals(TEST_SET) && versions.contains(e.version())) {
                        out.put(e.version(), e);
                        lastProgress = System.nanoTime();
                    }
                }
                bar.update(out.size(), out.isEmpty() ? "" : String.format(Locale.ROOT, "latest v%d acc %.1f%% len %.0f",
                        ((TreeMap<Long, EvalRecord>) out).lastKey(), 100 * ((TreeMap<Long, EvalRecord>) out).lastEntry()
                                .getValue().accuracy(), ((TreeMap<Long, EvalRecord>) out).lastEntry().getValue().meanLength()));
                service.loop().failure().ifPresent(f -> {
                    throw new IllegalStateException("the eval service stopped: " + f, f);
                });
                if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("the eval service judged no checkpoint for " + STALL_TIMEOUT
                            + "; have " + out.keySet() + " of " + versions);
                }
            }
        }
        return out;
    }

    private Map<Method, Map<Comparison.Decoding, RunResults.Evaluated>> evaluateAll(Map<Method, Path> trainedDirs,
                                                                                  Map<Long, EvalRecord> judged, long o1Version) {
        Map<Method, Map<Comparison.Decoding, RunResults.Evaluated>> out = new EnumMap<>(Method.class);
        List<Method> trainedMethods = baselines ? List.of(Method.SFT, Method.DPO, Method.O1_PRUNER) : List.of(Method.O1_PRUNER);
        for (Method m : Method.values()) {
            if (baselines || m == Method.BASELINE || m == Method.O1_PRUNER) {
                out.put(m, new EnumMap<>(Comparison.Decoding.class));
            }
        }
        EvalDataset dataset = EvalDataset.toy(Split.TEST).limit(settings.evalProblems());
        Decoding greedy = Decoding.greedy();
        Decoding sampled = Decoding.sampled(settings.evalSamples(), settings.temperature(), settings.topP());
        EvalRecord base = judged.get(0L);
        if (base != null) {
            out.get(Method.BASELINE).put(Comparison.Decoding.GREEDY, fromService(base));
        }
        if (o1Version > 0) {
            out.get(Method.O1_PRUNER).put(Comparison.Decoding.GREEDY, fromService(judged.get(o1Version)));
        }
        try (GradMode.Scope off = GradMode.disabled()) {
            GradMode.setIntraOpThreads(settings.threads());
            try (EvalModel model = EvalModel.load(modelDir, Device.cpu(), settings.generationBatch())) {
                if (base == null) {
                    out.get(Method.BASELINE).put(Comparison.Decoding.GREEDY, evaluate(model, dataset, greedy, "baseline"));
                }
                out.get(Method.BASELINE).put(Comparison.Decoding.SAMPLED, evaluate(model, dataset, sampled, "baseline"));
                if (baselines) {
                    out.get(Method.FAST_PROMPT).put(Comparison.Decoding.GREEDY,
                            evaluate(model, dataset, greedy.withFastPrompt(true), "fast prompt"));
                    out.get(Method.FAST_PROMPT).put(Comparison.Decoding.SAMPLED,
                            evaluate(model, dataset, sampled.withFastPrompt(true), "fast prompt"));
                }
                for (Method m : trainedMethods) {
                    if (!trainedDirs.containsKey(m)) {
                        // nothing was trained: the method leaves the reference model as it was
                        if (!out.get(m).containsKey(Comparison.Decoding.GREEDY)) {
                            out.get(m).put(Comparison.Decoding.GREEDY, untrained(out.get(Method.BASELINE)
                                    .get(Comparison.Decoding.GREEDY)));
                        }
                        out.get(m).put(Comparison.Decoding.SAMPLED, untrained(out.get(Method.BASELINE)
                                .get(Comparison.Decoding.SAMPLED)));
                    }
                }
            }
            for (Method m : trainedMethods) {
                Path dir = trainedDirs.get(m);
                if (dir == null) {
                    continue;
                }
                try (EvalModel model = EvalModel.load(dir, Device.cpu(), settings.generationBatch())) {
                    if (!out.get(m).containsKey(Comparison.Decoding.GREEDY)) {
                        out.get(m).put(Comparison.Decoding.GREEDY, evaluate(model, dataset, greedy, m.title()));
                    }
                    out.get(m).put(Comparison.Decoding.SAMPLED, evaluate(model, dataset, sampled, m.title()));
                }
            }
        }
        return out;
    }

    private RunResults.Evaluated evaluate(EvalModel model, EvalDataset dataset, Decoding decoding, String what) {
        Evaluator evaluator = new Evaluator(Grader.defaults(), new Evaluator.Options(decoding, settings.maxNewTokens(),
                settings.generationBatch(), settings.seed(), progress));
        EvalSummary s = evaluator.evaluate(model, dataset, what);
        return new RunResults.Evaluated(s, decoding.label(), "library");
    }

    private static RunResults.Evaluated fromService(EvalRecord e) {
        return new RunResults.Evaluated(EvalSummary.of(e.n(), e.correct(), e.meanLength()), e.decoding(),
                "eval-service v" + e.version());
    }

    private static RunResults.Evaluated untrained(RunResults.Evaluated base) {
        return new RunResults.Evaluated(base.summary(), base.label(), "untrained (reference model): " + base.source());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo i : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(topic, i.partition()));
        }
        return parts;
    }

    private static Map<String, Object> consumerProps(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private static Map<String, Object> producerProps(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "o1p-demo");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private void phase(String name, long t0) {
        phaseSeconds.put(name, (System.nanoTime() - t0) / 1e9);
    }

    private void info(String message) {
        LOG.info(message);
        if (progress != null) {
            progress.println("o1p demo: " + message);
            progress.flush();
        }
    }

    private static void closeAll(Deque<AutoCloseable> open) {
        while (!open.isEmpty()) {
            AutoCloseable c = open.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the work directory {}: {}", dir, e.toString());
        }
    }
}
