package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.EmbeddedKafkaBroker;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.TrainItem;

/**
 * Benchmark (run with {@code -Do1p.bench=true}): response tokens per second trained through the
 * whole service (Kafka consume, decode, plan, batch, engine step, metrics) against the raw rate of
 * the engine's training step on the same micro-batches with no service around it. Uses its own
 * embedded broker so no other test's records are mixed in. Prints one result line and writes it
 * to {@code target/trainer-bench.txt}.
 */
@EnabledIfSystemProperty(named = "o1p.bench", matches = "true")
class TrainerThroughputIT {
    private static final int HIDDEN = Integer.getInteger("o1p.bench.hidden", 128);
    private static final int LAYERS = Integer.getInteger("o1p.bench.layers", 4);
    private static final int PROBLEMS = Integer.getInteger("o1p.bench.problems", 96);
    private static final int K = 8;
    private static final int MICRO = 8;
    private static final int ACCUM = 4;
    /** Share of the service's wall time spent inside engine steps (robust to load changes between runs). */
    private static double busyShare = Double.NaN;

    @Test
    void serviceThroughputAgainstTheRawEngineStep(@TempDir Path tmp) throws Exception {
        Path modelDir = TestWorld.writeModel(tmp.resolve("model"), TestWorld.config(HIDDEN, LAYERS), 1);
        List<ScoredRecord> records;
        try (CausalLM ref = CausalLM.load(modelDir, Device.cpu())) {
            records = TestWorld.scored(ref, 0, PROBLEMS, K, 3);
        }
        // group into the service's steps: FIFO, MICRO items per micro-batch, ACCUM per step
        List<List<List<TrainItem>>> steps = new ArrayList<>();
        List<List<TrainItem>> step = new ArrayList<>();
        List<TrainItem> micro = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            micro.add(new TrainItem.Single(Fixtures.tracked(i, records.get(i))));
            if (micro.size() == MICRO) {
                step.add(micro);
                micro = new ArrayList<>();
                if (step.size() == ACCUM) {
                    steps.add(step);
                    step = new ArrayList<>();
                }
            }
        }
        double raw1 = rawRate(modelDir, steps);

        double service;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopic(Topics.SCORED, 4, Map.of());
            broker.createTopic(Topics.CHECKPOINTS, 1, Map.of());
            broker.createTopic(Topics.DEAD_LETTER, 1, Map.of());
            Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                for (ScoredRecord r : records) {
                    producer.send(new ProducerRecord<>(Topics.SCORED, Keys.of(r), Codecs.SCORED.encode(r)));
                }
            }
            service = serviceRate(broker, modelDir, tmp.resolve("ckpt"), records.size());
        }
        double raw2 = rawRate(modelDir, steps);
        double raw = (raw1 + raw2) / 2;
        long tokens = records.stream().mapToLong(r -> r.sample().responseTokenIds().length).sum();
        String line = String.format(Locale.ROOT,
                "trainer throughput: model d=%d L=%d (%,d params), %d samples (%,d response tokens), step = %dx%d: "
                        + "raw engine %.0f tok/s (runs %.0f, %.0f), service %.0f tok/s, ratio %.3f, busy %.3f",
                HIDDEN, LAYERS, TestWorld.config(HIDDEN, LAYERS).parameterCount(), records.size(), tokens, MICRO, ACCUM,
                raw, raw1, raw2, service, service / raw, busyShare);
        System.out.println(line);
        Files.writeString(Path.of("target", "trainer-bench.txt"), line + System.lineSeparator());
        assertTrue(service > 0 && raw > 0);
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
            throw new AssertionError("raw run failed", error[0]);
        }
        return out[0];
    }

    private static double rawRateOnThisThread(Path modelDir, List<List<List<TrainItem>>> steps) {
        TrainerEngine.Options o = new TrainerEngine.Options(org.o1pruner.trainer.core.Objective.LENGTH_HARMONIZING,
                org.o1pruner.trainer.core.ReferenceSource.RECORDED, 0, 0.2, 0.1, -2, 4, 1e-5, 0.1, 1000, 10, 0.01, 0, 0);
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

    /** Tokens per second through the service, from the start of its first step to the end of its last. */
    private static double serviceRate(EmbeddedKafkaBroker broker, Path modelDir, Path ckpt, int records)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", broker.bootstrapServers());
        env.put("O1P_TRAINER_MODEL_DIR", modelDir.toString());
        env.put("O1P_TRAINER_CHECKPOINT_DIR", ckpt.toString());
        env.put("O1P_TRAINER_SAMPLES_PER_PROBLEM", "all");
        env.put("O1P_TRAINER_BATCH_SIZE", Integer.toString(MICRO));
        env.put("O1P_TRAINER_GRAD_ACCUMULATION", Integer.toString(ACCUM));
        env.put("O1P_TRAINER_REFERENCE_CHECK_BATCHES", "0");
        env.put("O1P_TRAINER_MAX_BATCH_WAIT", "2s");
        env.put("O1P_TRAINER_CHECKPOINT_EVERY", "50");
        TrainerConfig.Settings s = TrainerConfig.Settings.from(TrainerConfig.registry().load(env));
        long[] firstStart = {-1};
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
                    firstStart[0] = now; // the first step is warm-up, as in the raw measurement
                } else {
                    tokens[0] += r.tokens();
                    busy[0] += r.nanos();
                }
                lastEnd[0] = now;
                trained[0] += items.size();
            }
        };
        TrainerService service = new TrainerService(s, new SimpleMeterRegistry(), l, Clock.systemUTC());
        service.start();
        long deadline = System.nanoTime() + 20L * 60 * 1_000_000_000L;
        while (trained[0] < records - records % (MICRO * ACCUM) && System.nanoTime() < deadline) {
            if (service.failure().isPresent()) {
                throw new AssertionError("trainer failed", service.failure().get());
            }
            Thread.sleep(50);
        }
        service.stop();
        service.awaitTermination(java.time.Duration.ofMinutes(2));
        busyShare = (double) busy[0] / (lastEnd[0] - firstStart[0]);
        return tokens[0] * 1e9 / (lastEnd[0] - firstStart[0]);
    }
}
