package org.o1pruner.trainer;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.Tracked;
import org.o1pruner.trainer.core.TrainItem;

/**
 * Trainer throughput: response tokens per second trained through the whole service (Kafka
 * consume, decode, plan, batch, engine step, metrics) as a ratio to the raw rate of the engine's
 * training step on the same micro-batches with no service around it, measured in the same run
 * (raw, service, raw again; the raw figure is the mean of the two). The first step of each side is
 * warm-up and not counted. Needs a cluster of its own: it uses the standard scored, checkpoint and
 * dead-letter topics, so nothing else may write to them.
 */
public final class TrainerBenchmark {

    /** What to measure: a random d={@code hidden}, {@code layers}-layer model, {@code problems} × {@code k} samples. */
    public record Params(int hidden, int layers, int problems, int k, int microBatch, int accumulation) {
        public Params {
            if (hidden < 1 || layers < 1 || problems < 1 || k < 1 || microBatch < 1 || accumulation < 1) {
                throw new IllegalArgumentException("every trainer benchmark size must be positive: " + this);
            }
            if (problems * k < 2 * microBatch * accumulation) {
                throw new IllegalArgumentException("problems x k must cover at least two steps of "
                        + microBatch + " x " + accumulation + " samples (the first is warm-up)");
            }
        }
    }

    /** Figures of one run; rates in response tokens per second. */
    public record Result(Params params, long modelParameters, int samples, long responseTokens, double rawTokensPerSecond1,
                         double serviceTokensPerSecond, double rawTokensPerSecond2, double busyFraction) {
        public double rawTokensPerSecond() {
            return (rawTokensPerSecond1 + rawTokensPerSecond2) / 2;
        }

        public double ratio() {
            return serviceTokensPerSecond / rawTokensPerSecond();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "model d=%d L=%d (%,d params), %d samples (%,d response tokens), step = %dx%d: raw engine %.0f tok/s "
                            + "(runs %.0f, %.0f), service %.0f tok/s, ratio %.3f, engine busy %.3f of the service's time",
                    params.hidden(), params.layers(), modelParameters, samples, responseTokens, params.microBatch(),
                    params.accumulation(), rawTokensPerSecond(), rawTokensPerSecond1, rawTokensPerSecond2,
                    serviceTokensPerSecond, ratio(), busyFraction);
        }
    }

    private TrainerBenchmark() {
    }

    /** Runs raw, service, raw on the cluster at {@code bootstrapServers}; writes models and checkpoints under {@code tmp}. */
    public static Result run(String bootstrapServers, Path tmp, Params p) throws Exception {
        Path modelDir = TestWorld.writeModel(tmp.resolve("model"), TestWorld.config(p.hidden(), p.layers()), 1);
        List<ScoredRecord> records;
        try (CausalLM ref = CausalLM.load(modelDir, Device.cpu())) {
            records = TestWorld.scored(ref, 0, p.problems(), p.k(), 3);
        }
        List<List<List<TrainItem>>> steps = steps(records, p.microBatch(), p.accumulation());
        double raw1 = rawRate(modelDir, steps);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.SCORED, 4, (short) 1),
                    new NewTopic(Topics.CHECKPOINTS, 1, (short) 1), new NewTopic(Topics.DEAD_LETTER, 1, (short) 1)))
                    .all().get(1, TimeUnit.MINUTES);
            awaitLeaders(admin, List.of(Topics.SCORED, Topics.CHECKPOINTS, Topics.DEAD_LETTER));
        }
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1); // no reordered retries while filling
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (ScoredRecord r : records) {
                producer.send(new ProducerRecord<>(Topics.SCORED, Keys.of(r), Codecs.SCORED.encode(r)));
            }
        }
        double[] service = serviceRate(bootstrapServers, modelDir, tmp.resolve("ckpt"), records.size(), p);
        double raw2 = rawRate(modelDir, steps);
        long tokens = records.stream().mapToLong(r -> r.sample().responseTokenIds().length).sum();
        return new Result(p, TestWorld.config(p.hidden(), p.layers()).parameterCount(), records.size(), tokens, raw1,
                service[0], raw2, service[1]);
    }

    /**
     * Waits until every partition of {@code topics} has a leader: producing into a topic created a
     * moment ago on a loaded machine otherwise meets NOT_LEADER_OR_FOLLOWER, and the idempotent
     * producer's retries can then stall on OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            boolean ready = admin.describeTopics(topics).allTopicNames().get(1, TimeUnit.MINUTES).values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(i -> i.leader() != null && !i.isr().isEmpty()));
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have partitions without a leader after a minute");
            }
            Thread.sleep(100);
        }
    }

    /** The service's grouping: FIFO, {@code micro} items per micro-batch, {@code accum} micro-batches per step. */
    static List<List<List<TrainItem>>> steps(List<ScoredRecord> records, int micro, int accum) {
        List<List<List<TrainItem>>> steps = new ArrayList<>();
        List<List<TrainItem>> step = new ArrayList<>();
        List<TrainItem> batch = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            batch.add(new TrainItem.Single(new Tracked(0, i, records.get(i))));
            if (batch.size() == micro) {
                step.add(batch);
                batch = new ArrayList<>();
                if (step.size() == accum) {
                    steps.add(step);
                    step = new ArrayList<>();
                }
            }
        }
        return steps;
    }

    /**
     * Tokens per second of {@link TrainerEngine#step} alone, first step excluded as warm-up, on a
     * fresh thread set up as the service's training thread is (PyTorch's thread settings are per thread).
     */
    private static double rawRate(Path modelDir, List<List<List<TrainItem>>> steps) throws Exception {
        double[] out = {Double.NaN};
        Throwable[] error = {null};
        Thread t = new Thread(() -> {
            try {
                GradMode.setIntraOpThreads(2);
                out[0] = rawRateOnThisThread(modelDir, steps);
            } catch (Throwable e) {
                error[0] = e;
            }
        }, "o1p-bench-raw");
        t.start();
        t.join();
        if (error[0] != null) {
            throw new IllegalStateException("the raw engine run failed", error[0]);
        }
        return out[0];
    }

    private static double rawRateOnThisThread(Path modelDir, List<List<List<TrainItem>>> steps) {
        TrainerEngine.Options o = new TrainerEngine.Options(Objective.LENGTH_HARMONIZING, ReferenceSource.RECORDED,
                0, 0.2, 0.1, -2, 4, 1e-5, 0.1, 1000, 10, 0.01, 0, 0, 1, true);
        try (GradMode.Scope on = GradMode.enabled();
                TrainerEngine e = new TrainerEngine(CausalLM.load(modelDir, Device.cpu()), null, o,
                        AdvantageStats.empty())) {
            long tokens = 0;
            long nanos = 0;
            for (int i = 0; i < steps.size(); i++) {
                TrainerEngine.StepReport r = e.step(steps.get(i));
                if (i > 0) {
                    tokens += r.tokens();
                    nanos += r.nanos();
                }
            }
            return tokens * 1e9 / nanos;
        }
    }

    /**
     * Tokens per second through the service, from the end of its first (warm-up) step to the end of
     * its last, and the share of that time spent inside engine steps.
     */
    private static double[] serviceRate(String bootstrapServers, Path modelDir, Path ckpt, int records, Params p)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", bootstrapServers);
        env.put("O1P_TRAINER_MODEL_DIR", modelDir.toString());
        env.put("O1P_TRAINER_CHECKPOINT_DIR", ckpt.toString());
        env.put("O1P_TRAINER_SAMPLES_PER_PROBLEM", "all");
        env.put("O1P_TRAINER_BATCH_SIZE", Integer.toString(p.microBatch()));
        env.put("O1P_TRAINER_GRAD_ACCUMULATION", Integer.toString(p.accumulation()));
        env.put("O1P_TRAINER_REFERENCE_CHECK_BATCHES", "0");
        env.put("O1P_TRAINER_MAX_BATCH_WAIT", "2s");
        env.put("O1P_TRAINER_CHECKPOINT_EVERY", "50");
        TrainerConfig.Settings s = TrainerConfig.Settings.from(TrainerConfig.registry().load(env));
        long[] firstEnd = {-1};
        long[] lastEnd = {-1};
        long[] tokens = {0};
        long[] busy = {0};
        int[] trained = {0};
        int[] stepsSeen = {0};
        TrainerService.Listener l = new TrainerService.Listener() {
            @Override
            public void trained(TrainerEngine.StepReport r, List<TrainItem> items) {
                long now = System.nanoTime();
                stepsSeen[0]++;
                if (stepsSeen[0] == 1) {
                    firstEnd[0] = now; // the first step is warm-up, as in the raw measurement
                } else {
                    tokens[0] += r.tokens();
                    busy[0] += r.nanos();
                }
                lastEnd[0] = now;
                trained[0] += items.size();
            }
        };
        int perStep = p.microBatch() * p.accumulation();
        TrainerService service = new TrainerService(s, new SimpleMeterRegistry(), l, Clock.systemUTC());
        service.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            while (trained[0] < records - records % perStep && System.nanoTime() < deadline) {
                if (service.failure().isPresent()) {
                    throw new IllegalStateException("the trainer failed", service.failure().get());
                }
                Thread.sleep(50);
            }
        } finally {
            service.stop();
            service.awaitTermination(Duration.ofMinutes(2));
        }
        if (trained[0] < records - records % perStep) {
            throw new IllegalStateException("the trainer trained only " + trained[0] + " of " + records + " samples in 20 minutes");
        }
        double seconds = (lastEnd[0] - firstEnd[0]) / 1e9;
        return new double[] {tokens[0] / seconds, busy[0] / 1e9 / seconds};
    }
}
