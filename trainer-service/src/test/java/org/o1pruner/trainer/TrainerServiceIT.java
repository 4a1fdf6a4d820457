package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
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
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.Manifest;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.SampleId;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;
import org.o1pruner.trainer.core.TrainItem;
import org.o1pruner.trainer.core.Tracked;

/**
 * The trainer service on the real broker: scored records in, optimizer steps, checkpoints that
 * verify and load in a fresh model, and exactly-once training across a crash.
 *
 * <p>Both tests read the one {@code scored} topic from the beginning, so each computes what it
 * expects from the topic's full content rather than from what it produced itself.
 */
@ExtendWith(KafkaExtension.class)
class TrainerServiceIT {
    private static final Duration WAIT = Duration.ofMinutes(4);

    @TempDir
    static Path shared;
    static Path modelDir;

    @BeforeAll
    static void setUp(KafkaCluster kafka) {
        kafka.createTopic(Topics.SCORED, 2, Map.of());
        kafka.createTopic(Topics.CHECKPOINTS, 1, Map.of());
        kafka.createTopic(Topics.DEAD_LETTER, 2, Map.of());
        modelDir = TestWorld.writeModel(shared.resolve("model"), TestWorld.config(32, 2), 42);
    }

    private static TrainerConfig.Settings settings(KafkaCluster kafka, String runId, Path ckpt, int every,
            Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("O1P_RUN_ID", runId);
        env.put("O1P_CONSUMER_GROUP", "trainer-" + runId);
        env.put("O1P_POLL_TIMEOUT", "200ms");
        env.put("O1P_TRAINER_MODEL_DIR", modelDir.toString());
        env.put("O1P_TRAINER_CHECKPOINT_DIR", ckpt.toString());
        env.put("O1P_TRAINER_CHECKPOINT_EVERY", Integer.toString(every));
        env.put("O1P_TRAINER_BATCH_SIZE", "2");
        env.put("O1P_TRAINER_GRAD_ACCUMULATION", "2");
        env.put("O1P_TRAINER_SAMPLES_PER_PROBLEM", "all");
        env.put("O1P_TRAINER_MAX_BATCH_WAIT", "1s");
        env.put("O1P_TRAINER_LR", "1e-3");
        env.put("O1P_TRAINER_TOTAL_STEPS", "50");
        env.putAll(extra);
        return TrainerConfig.Settings.from(TrainerConfig.registry().load(env));
    }

    private static void produce(KafkaCluster kafka, List<ScoredRecord> records, boolean withGarbage) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ScoredRecord r : records) {
                producer.send(new ProducerRecord<>(Topics.SCORED, Keys.of(r), Codecs.SCORED.encode(r)));
            }
            if (withGarbage) {
                producer.send(new ProducerRecord<>(Topics.SCORED, Keys.forProblem("junk"),
                        "not a record".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaCluster kafka, String topic) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Sample identities of every valid scored record in the topic. */
    private static Set<SampleId> allScoredIds(KafkaCluster kafka) {
        Set<SampleId> ids = new TreeSet<>(java.util.Comparator.comparing(Object::toString));
        for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, Topics.SCORED)) {
            try {
                ids.add(Codecs.SCORED.decode(r.value()).sampleId());
            } catch (RecordException e) {
                // the deliberate garbage record
            }
        }
        return ids;
    }

    private static List<CheckpointRecord> checkpoints(KafkaCluster kafka, String runId) {
        List<CheckpointRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, Topics.CHECKPOINTS)) {
            CheckpointRecord c = Codecs.CHECKPOINT.decode(r.value());
            if (c.runId().equals(runId)) {
                out.add(c);
            }
        }
        return out;
    }

    private static void await(BooleanSupplier condition, TrainerService service, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (service.failure().isPresent()) {
                throw new AssertionError("trainer failed while waiting for " + what, service.failure().get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Records what a run trained, step by step, and which steps were checkpointed. */
    static final class Recorder implements TrainerService.Listener {
        final List<List<SampleId>> steps = new CopyOnWriteArrayList<>();
        final List<Long> checkpointSteps = new CopyOnWriteArrayList<>();
        final List<CheckpointRecord> records = new CopyOnWriteArrayList<>();
        volatile TrainerService service;
        volatile int crashAfterStep = -1;

        @Override
        public void trained(TrainerEngine.StepReport report, List<TrainItem> items) {
            List<SampleId> ids = new ArrayList<>();
            for (TrainItem item : items) {
                for (Tracked t : item.sources()) {
                    ids.add(t.record().sampleId());
                }
            }
            steps.add(ids);
            if (crashAfterStep > 0 && steps.size() == crashAfterStep) {
                service.abandon();
            }
        }

        @Override
        public void checkpointed(CheckpointRecord record, CheckpointStore.Stored stored) {
            checkpointSteps.add(record.step());
            records.add(record);
        }

        int trainedRecords() {
            return steps.stream().mapToInt(List::size).sum();
        }

        /** What survives in the last checkpoint's lineage: steps up to the last checkpoint. */
        List<SampleId> untilLastCheckpoint(long firstStep) {
            List<SampleId> out = new ArrayList<>();
            long last = checkpointSteps.isEmpty() ? firstStep - 1 : checkpointSteps.get(checkpointSteps.size() - 1);
            for (int i = 0; i < steps.size() && firstStep + i <= last; i++) {
                out.addAll(steps.get(i));
            }
            return out;
        }
    }

    @Test
    void scoredRecordsBecomeStepsAndAVerifiedLoadableCheckpoint(KafkaCluster kafka, @TempDir Path tmp) throws Exception {
        List<ScoredRecord> records;
        try (CausalLM ref = CausalLM.load(modelDir, Device.cpu())) {
            records = TestWorld.scored(ref, 0, 2, 4, 7);
        }
        produce(kafka, records, true);
        Set<SampleId> expected = allScoredIds(kafka);
        Recorder rec = new Recorder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerService service = new TrainerService(settings(kafka, "it-basic", tmp.resolve("ckpt"), 2, Map.of()),
                registry, rec, Clock.systemUTC());
        rec.service = service;
        service.start();
        await(() -> rec.trainedRecords() >= expected.size(), service, "all records trained");
        service.stop();
        assertTrue(service.awaitTermination(WAIT));
        assertTrue(service.failure().isEmpty(), () -> "failure: " + service.failure());
        assertTrue(service.metrics().deadLetters(DeadLetterReason.UNDECODABLE) >= 1, "garbage went to dead-letter");
        assertTrue(readAll(kafka, Topics.DEAD_LETTER).size() >= 1);

        List<CheckpointRecord> published = checkpoints(kafka, "it-basic");
        assertFalse(published.isEmpty());
        CheckpointRecord last = published.get(published.size() - 1);
        assertEquals(rec.records.get(rec.records.size() - 1), last);
        assertEquals(last.version() - 1, last.parentVersion());
        assertEquals("length-harmonizing", last.objective());
        assertEquals(rec.steps.size(), last.step());
        assertTrue(last.metrics().containsKey("loss") && last.metrics().containsKey("clip_fraction"));
        assertTrue(last.metrics().get("reference_drift_max") < 1e-3, "recorded vs frozen: " + last.metrics());
        assertEquals((double) expected.size(), last.metrics().get("records_trained"));

        Path dir = Path.of(URI.create(last.uri()));
        Manifest m = CausalLM.verify(dir);
        Map<String, String> sums = new HashMap<>();
        m.files().forEach((f, s) -> sums.put(f, s.sha256()));
        assertEquals(sums, last.sha256ByFile());
        assertTrue(sums.keySet().containsAll(List.of("model.safetensors", "config.json", "tokenizer.json",
                "optimizer.safetensors", CheckpointStore.STATE_FILE)));
        CheckpointStore.TrainerState state = CheckpointStore.readState(dir);
        assertEquals(expected.size(), state.recordsTrained());
        assertEquals(expected.size(), state.advantage().count());
        try (CausalLM fresh = CausalLM.load(dir, Device.cpu()); CausalLM base = CausalLM.load(modelDir, Device.cpu())) {
            NDArray a = fresh.parameters().get("model.layers.1.mlp.down_proj.weight");
            NDArray b = base.parameters().get("model.layers.1.mlp.down_proj.weight");
            assertNotEquals(0f, a.sub(b).abs().max().getFloat(), "training changed the weights");
            assertEquals(base.config().numLayers(), fresh.config().numLayers());
        }
    }

    @Test
    void aCrashBetweenCheckpointsTrainsEveryScoredRecordExactlyOnce(KafkaCluster kafka, @TempDir Path tmp)
            throws Exception {
        List<ScoredRecord> records;
        try (CausalLM ref = CausalLM.load(modelDir, Device.cpu())) {
            records = TestWorld.scored(ref, 10, 6, 4, 11);
        }
        produce(kafka, records, false);
        Set<SampleId> expected = allScoredIds(kafka);
        Path ckpt = tmp.resolve("ckpt");

        Recorder first = new Recorder();
        first.crashAfterStep = 5; // checkpoints after steps 3 (and 6): step 4 and 5 are lost
        TrainerService run1 = new TrainerService(settings(kafka, "it-crash", ckpt, 3, Map.of()),
                new SimpleMeterRegistry(), first, Clock.systemUTC());
        first.service = run1;
        run1.start();
        assertTrue(run1.awaitTermination(WAIT), "run 1 crashed on purpose");
        assertTrue(run1.failure().isEmpty(), () -> "failure: " + run1.failure());
        assertEquals(5, first.steps.size());
        assertEquals(List.of(3L), first.checkpointSteps);

        Recorder second = new Recorder();
        TrainerService run2 = new TrainerService(settings(kafka, "it-crash", ckpt, 3, Map.of()),
                new SimpleMeterRegistry(), second, Clock.systemUTC());
        second.service = run2;
        run2.start();
        List<SampleId> lineageBefore = first.untilLastCheckpoint(1);
        await(() -> lineageBefore.size() + second.trainedRecords() >= expected.size(), run2, "the rest trained");
        run2.stop();
        assertTrue(run2.awaitTermination(WAIT));
        assertTrue(run2.failure().isEmpty(), () -> "failure: " + run2.failure());

        List<SampleId> lineage = new ArrayList<>(lineageBefore);
        second.steps.forEach(lineage::addAll);
        Map<SampleId, Integer> counts = new HashMap<>();
        lineage.forEach(id -> counts.merge(id, 1, Integer::sum));
        assertEquals(expected, new TreeSet<>(java.util.Comparator.comparing(Object::toString)) {{ addAll(counts.keySet()); }});
        counts.forEach((id, n) -> assertEquals(1, n, id + " trained " + n + " times"));
        assertTrue(run2.metrics().registry().find("o1p.trainer.records.skipped").counter() != null);

        CheckpointStore.TrainerState last = new CheckpointStore(ckpt, 0).latest().orElseThrow().state();
        assertEquals(expected.size(), last.recordsTrained());
        assertEquals(3 + second.steps.size(), last.step(), "the optimizer step count resumed from the checkpoint");
        List<CheckpointRecord> published = checkpoints(kafka, "it-crash");
        assertEquals(Collections.max(published.stream().map(CheckpointRecord::version).toList()), last.version());
    }

    /**
     * The trainer in its own JVM is killed with SIGKILL between checkpoints; a new trainer resumes
     * from the last checkpoint, and the lineage of the final checkpoint holds every scored record
     * exactly once (what the killed process trained after its last checkpoint died with it).
     */
    @Test
    void aKilledTrainerProcessResumesWithEveryRecordTrainedExactlyOnce(KafkaCluster kafka, @TempDir Path tmp)
            throws Exception {
        List<ScoredRecord> records;
        try (CausalLM ref = CausalLM.load(modelDir, Device.cpu())) {
            records = TestWorld.scored(ref, 30, 8, 4, 13);
        }
        produce(kafka, records, false);
        Set<SampleId> expected = allScoredIds(kafka);
        Path ckpt = tmp.resolve("ckpt");
        Path log = tmp.resolve("steps.log");
        Map<String, String> env = new HashMap<>();
        env.put("O1P_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("O1P_RUN_ID", "it-kill");
        env.put("O1P_CONSUMER_GROUP", "trainer-it-kill");
        env.put("O1P_POLL_TIMEOUT", "200ms");
        env.put("O1P_TRAINER_MODEL_DIR", modelDir.toString());
        env.put("O1P_TRAINER_CHECKPOINT_DIR", ckpt.toString());
        env.put("O1P_TRAINER_CHECKPOINT_EVERY", "3");
        env.put("O1P_TRAINER_BATCH_SIZE", "2");
        env.put("O1P_TRAINER_GRAD_ACCUMULATION", "2");
        env.put("O1P_TRAINER_SAMPLES_PER_PROBLEM", "all");
        env.put("O1P_TRAINER_MAX_BATCH_WAIT", "1s");
        env.put("O1P_TRAINER_LR", "1e-3");
        env.put("O1P_TRAINER_TOTAL_STEPS", "50");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), TrainerProcessMain.class.getName(), log.toString()));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (stepLines(log).size() < 4) {
                assertTrue(child.isAlive(), () -> "trainer process died: " + read(tmp.resolve("child.out")));
                assertTrue(System.nanoTime() < deadline, "trainer process made no progress");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            child.waitFor();
        }
        List<String[]> killedSteps = stepLines(log);
        CheckpointStore.Stored survived = new CheckpointStore(ckpt, 0).latest().orElseThrow();
        long lastStep = survived.state().step();
        assertTrue(killedSteps.size() > lastStep, "killed between checkpoints: steps " + killedSteps.size()
                + ", last checkpoint at step " + lastStep);
        List<SampleId> lineage = new ArrayList<>();
        for (String[] line : killedSteps) {
            if (Long.parseLong(line[0]) <= lastStep) {
                for (String id : line[1].split("\\|")) {
                    lineage.add(byName(expected, id));
                }
            }
        }

        Recorder second = new Recorder();
        TrainerService run2 = new TrainerService(TrainerConfig.Settings.from(TrainerConfig.registry().load(env)),
                new SimpleMeterRegistry(), second, Clock.systemUTC());
        second.service = run2;
        run2.start();
        int before = lineage.size();
        await(() -> before + second.trainedRecords() >= expected.size(), run2, "the rest trained");
        run2.stop();
        assertTrue(run2.awaitTermination(WAIT));
        assertTrue(run2.failure().isEmpty(), () -> "failure: " + run2.failure());
        second.steps.forEach(lineage::addAll);
        Map<SampleId, Integer> counts = new HashMap<>();
        lineage.forEach(id -> counts.merge(id, 1, Integer::sum));
        assertEquals(expected.size(), counts.size(), "every scored record trained");
        assertTrue(expected.containsAll(counts.keySet()));
        counts.forEach((id, n) -> assertEquals(1, n, id + " trained " + n + " times"));
        CheckpointStore.TrainerState last = new CheckpointStore(ckpt, 0).latest().orElseThrow().state();
        assertEquals(expected.size(), last.recordsTrained());
        assertEquals(lastStep + second.steps.size(), last.step());
    }

    private static List<String[]> stepLines(Path log) throws java.io.IOException {
        if (!java.nio.file.Files.exists(log)) {
            return List.of();
        }
        List<String[]> out = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(log)) {
            String[] parts = line.split("\t");
            if (parts.length == 2) {
                out.add(parts);
            }
        }
        return out;
    }

    private static SampleId byName(Set<SampleId> ids, String name) {
        return ids.stream().filter(i -> i.toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("unknown sample " + name));
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no output)";
        }
    }
}
