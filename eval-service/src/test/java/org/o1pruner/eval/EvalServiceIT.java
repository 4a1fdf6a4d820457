package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.model.Manifest;
import org.o1pruner.runtime.Config;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.EvalRecord;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;

/**
 * A tiny checkpoint flowing trainer → checkpoints → eval-service → evals on the embedded broker.
 * Checkpoints are written with the engine's {@code CausalLM.save} and announced with records of
 * the trainer's shape (file URI of the directory, sha256 of every manifest file, parent version,
 * objective, metrics).
 */
@ExtendWith(KafkaExtension.class)
class EvalServiceIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DATASETS = "toy_test,gsm8k_test";

    @TempDir
    static Path tmp;
    static Path baseline;
    static Path terse;
    static Path random2;

    @BeforeAll
    static void models() {
        org.o1pruner.model.GradMode.setIntraOpThreads(1);
        baseline = ToyModels.write(tmp.resolve("v0"), 7, false);
        terse = ToyModels.write(tmp.resolve("v1"), 7, true);
        random2 = ToyModels.write(tmp.resolve("v2"), 8, false);
    }

    private static Map<String, String> env(KafkaCluster kafka, String id, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("O1P_RUN_ID", "run-" + id);
        env.put("O1P_TRANSACTIONAL_ID_PREFIX", "it-" + id);
        env.put("O1P_CONSUMER_GROUP", "eval-it-" + id);
        env.put("O1P_POLL_TIMEOUT", "100ms");
        env.put("O1P_SHUTDOWN_TIMEOUT", "30s");
        env.put("O1P_EVAL_DATASETS", DATASETS);
        env.put("O1P_EVAL_DATA_DIR", ToyModels.dataDir().toString());
        env.put("O1P_EVAL_MAX_PROBLEMS", "3");
        env.put("O1P_EVAL_MAX_NEW_TOKENS", "6");
        env.put("O1P_EVAL_BATCH_SIZE", "3");
        env.put("O1P_EVAL_DEVICE", "cpu");
        env.putAll(extra);
        return env;
    }

    private static EvalService start(Map<String, String> env, SimpleMeterRegistry registry) throws InterruptedException {
        Config config = EvalService.load(env);
        EvalService s = EvalService.start(config, registry,
                dir -> EvalModel.load(dir, ai.djl.Device.cpu(), 3), Clock.systemUTC());
        assertTrue(s.loop().awaitRunning(WAIT), "eval loop did not start: " + s.loop().failure());
        return s;
    }

    /** A record as the trainer publishes it: the directory's URI and the sums of its manifest. */
    private static CheckpointRecord record(String run, long version, Path dir) {
        Map<String, String> sums = new TreeMap<>();
        Manifest.read(dir).files().forEach((f, s) -> sums.put(f, s.sha256()));
        return new CheckpointRecord(run, version, version * 10, dir.toUri().toString(), sums,
                version == 0 ? CheckpointRecord.NO_PARENT : version - 1, version == 0 ? "reference" : "o1-pruner",
                Map.of("loss", 0.5), System.currentTimeMillis()).validate();
    }

    private static void publish(KafkaCluster kafka, CheckpointRecord... records) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (CheckpointRecord r : records) {
                p.send(new ProducerRecord<>(Topics.CHECKPOINTS, Keys.of(r), Codecs.CHECKPOINT.encode(r)));
            }
            p.flush();
        }
    }

    /** Committed records of {@code topic} whose key is the run, until {@code done} holds or the wait ran out. */
    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaCluster kafka, String topic, String run,
                                                             Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                             Duration settle) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        byte[] key = Keys.forRun(run);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (java.util.Arrays.equals(r.key(), key)) {
                        out.add(r);
                    }
                }
            }
            long settleEnd = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleEnd) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (java.util.Arrays.equals(r.key(), key)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static List<EvalRecord> evals(KafkaCluster kafka, String run, int expected, Duration settle) {
        return read(kafka, Topics.EVALS, run, l -> l.size() >= expected, settle).stream()
                .map(r -> Codecs.EVAL.decode(r.value())).toList();
    }

    private static EvalRecord find(List<EvalRecord> all, long version, String dataset) {
        return all.stream().filter(e -> e.version() == version && e.dataset().equals(dataset)).findFirst()
                .orElseThrow(() -> new AssertionError("no record of v" + version + " on " + dataset + " in " + all));
    }

    @Test
    void checkpointsBecomeEvalsWithAesAndPromotionAndARestartKeepsTheBaselineAndTheBest(KafkaCluster kafka)
            throws Exception {
        kafka.createTopics(Map.of(Topics.CHECKPOINTS, 1, Topics.EVALS, 1, Topics.DEAD_LETTER, 1));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String run = "run-" + id;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<EvalRecord> all;
        try (EvalService service = start(env(kafka, id, Map.of()), registry)) {
            // v0 the reference (baseline), v1 a model that stops at once (same accuracy, far shorter),
            // v2 another random model
            publish(kafka, record(run, 0, baseline), record(run, 1, terse), record(run, 2, random2));
            all = evals(kafka, run, 6, Duration.ZERO);
            assertEquals(6, all.size(), all.toString());
            for (String d : DATASETS.split(",")) {
                EvalRecord b = find(all, 0, d);
                assertTrue(b.baseline());
                assertFalse(b.promoted());
                assertEquals(0, b.aes());
                assertEquals("greedy", b.decoding());
                assertEquals(3, b.n());
                assertTrue(b.meanLength() > 0, "a random model rarely stops: " + b);

                EvalRecord v1 = find(all, 1, d);
                assertFalse(v1.baseline());
                assertEquals(0, v1.meanLength());
                Aes.Scores expected = Aes.scores(b.accuracy(), b.meanLength(), v1.accuracy(), v1.meanLength(),
                        AesWeights.PAPER);
                assertEquals(expected.formula(), v1.aes(), 1e-12);
                assertEquals(expected.paperTable(), v1.aesPaper(), 1e-12);
                assertTrue(v1.aes() > 0 && v1.accuracy() >= b.accuracy() - 0.01);
                assertTrue(v1.promoted(), "shorter at equal accuracy, best so far: " + v1);
                assertTrue(v1.accuracyLow95() <= v1.accuracy() && v1.accuracy() <= v1.accuracyHigh95());

                EvalRecord v2 = find(all, 2, d);
                assertFalse(v2.promoted(), "cannot beat the terse model's AES of " + v1.aes() + ": " + v2);
            }
            EvalMetrics m = service.metrics();
            assertEquals(0, m.shown("toy_test", EvalMetrics.Kind.BASELINE).version());
            assertEquals(2, m.shown("toy_test", EvalMetrics.Kind.LATEST).version());
            assertEquals(1, m.shown("toy_test", EvalMetrics.Kind.BEST).version());
            assertEquals(1.0, registry.get("o1p.eval.version").tags("dataset", "gsm8k_test", "kind", "best").gauge().value());
            assertEquals(3.0, registry.get("o1p.eval.evaluations").tags("dataset", "toy_test").counter().count());

            // a checkpoint whose weights changed after the record was made is refused with a dead letter
            Path tampered = ToyModels.write(tmp.resolve("v3"), 9, false);
            CheckpointRecord v3 = record(run, 3, tampered);
            Files.write(tampered.resolve("model.safetensors"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            publish(kafka, v3);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(Topics.CHECKPOINTS, Keys.forRun(run), new byte[] {'n', 'o', 'p', 'e'}));
            }
            List<ConsumerRecord<byte[], byte[]>> dead = read(kafka, Topics.DEAD_LETTER, run, l -> l.size() >= 2,
                    Duration.ZERO);
            assertEquals(2, dead.size());
            assertEquals(DeadLetterReason.UNDECODABLE.tag(),
                    new String(dead.get(1).headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
            assertEquals(DeadLetterReason.INVALID.tag(),
                    new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
            String detail = new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.DETAIL).value(),
                    StandardCharsets.UTF_8);
            assertTrue(detail.contains("model.safetensors"), detail);
            assertEquals(1.0, registry.get("o1p.eval.dead.letters").tags("reason", "invalid").counter().count());
        }

        // a restarted evaluator restores the baseline and the best from the evals topic: it evaluates
        // neither v0 again nor promotes a copy of v1 (equal AES is not better)
        SimpleMeterRegistry registry2 = new SimpleMeterRegistry();
        try (EvalService service = start(env(kafka, id, Map.of()), registry2)) {
            assertEquals(1, service.metrics().shown("toy_test", EvalMetrics.Kind.BEST).version());
            Path copy = ToyModels.write(tmp.resolve("v4"), 7, true);
            publish(kafka, record(run, 4, copy), record(run, 0, baseline));
            List<EvalRecord> after = evals(kafka, run, 8, Duration.ofSeconds(3));
            assertEquals(8, after.size(), "only v4's two records are new: " + after);
            assertEquals(2, after.stream().filter(EvalRecord::baseline).count());
            for (String d : DATASETS.split(",")) {
                EvalRecord v4 = find(after, 4, d);
                assertEquals(find(all, 1, d).aes(), v4.aes(), 1e-12);
                assertFalse(v4.promoted(), v4.toString());
            }
            assertNotNull(service.metrics().shown("gsm8k_test", EvalMetrics.Kind.LATEST));
            assertEquals(4, service.metrics().shown("gsm8k_test", EvalMetrics.Kind.LATEST).version());
        }
    }

    @Test
    void withoutVersionZeroTheConfiguredBaselineDirectoryIsEvaluatedOnceAndTwoInstancesSplitTheDataSets(
            KafkaCluster kafka) throws Exception {
        kafka.createTopics(Map.of(Topics.CHECKPOINTS, 1, Topics.EVALS, 1, Topics.DEAD_LETTER, 1));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String run = "run-" + id;
        Map<String, String> common = Map.of("O1P_EVAL_BASELINE_DIR", baseline.toString(), "O1P_EVAL_INSTANCE_COUNT", "2",
                "O1P_CONSUMER_GROUP", "eval-it-" + id);
        Map<String, String> first = new HashMap<>(common);
        first.put("O1P_EVAL_INSTANCE_INDEX", "0");
        Map<String, String> second = new HashMap<>(common);
        second.put("O1P_EVAL_INSTANCE_INDEX", "1");
        second.put("O1P_CONSUMER_GROUP", "eval-it-" + id + "-1");
        try (EvalService a = start(env(kafka, id, first), new SimpleMeterRegistry());
             EvalService b = start(env(kafka, id, second), new SimpleMeterRegistry())) {
            assertEquals(List.of("gsm8k_test"), a.settings().datasets());
            assertEquals(List.of("toy_test"), b.settings().datasets());
            publish(kafka, record(run, 1, terse), record(run, 2, random2));
            List<EvalRecord> all = evals(kafka, run, 6, Duration.ofSeconds(2));
            assertEquals(6, all.size(), all.toString());
            for (String d : DATASETS.split(",")) {
                assertTrue(find(all, 0, d).baseline());
                assertTrue(find(all, 1, d).promoted());
                assertFalse(find(all, 2, d).promoted());
            }
        }
    }
}
