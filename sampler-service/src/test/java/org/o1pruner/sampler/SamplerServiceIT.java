package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.Manifest;
import org.o1pruner.model.Scorer;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.TopicReader;
import org.o1pruner.testing.KafkaExtension;
import org.o1pruner.toyworld.ProblemFiles;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyVocabulary;
import org.o1pruner.toyworld.ToyWorld;

/**
 * The sampler on the real embedded broker with tiny random models that speak the toy world's
 * tokenizer: prompts to samples with K per problem and log-probs a scorer reproduces, switching
 * to a published checkpoint, a crash mid-group, and back-pressure from a lagging consumer group.
 */
@ExtendWith(KafkaExtension.class)
class SamplerServiceIT {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private record Setup(String prompts, String samples, String checkpoints, String dlq, String id,
                         Map<String, String> env) {}

    private static Setup setup(KafkaCluster kafka, Path modelDir, Map<String, String> extra) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Setup s = new Setup("prompts-" + id, "samples-" + id, "checkpoints-" + id, "dlq-" + id, id, new HashMap<>());
        kafka.createTopic(s.prompts, PARTITIONS, Map.of());
        kafka.createTopic(s.samples, PARTITIONS, Map.of());
        kafka.createTopic(s.checkpoints, 1, Map.of());
        kafka.createTopic(s.dlq, 1, Map.of());
        s.env.put("O1P_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        s.env.put("O1P_SAMPLER_MODEL_DIR", modelDir.toString());
        s.env.put("O1P_SAMPLER_INPUT_TOPIC", s.prompts);
        s.env.put("O1P_SAMPLER_OUTPUT_TOPIC", s.samples);
        s.env.put("O1P_SAMPLER_CHECKPOINT_TOPIC", s.checkpoints);
        s.env.put("O1P_SAMPLER_DEAD_LETTER_TOPIC", s.dlq);
        s.env.put("O1P_SAMPLER_MAX_NEW_TOKENS", "24");
        s.env.put("O1P_SAMPLER_DEVICE", "cpu");
        s.env.put("O1P_CONSUMER_GROUP", "sampler-it-" + id);
        s.env.put("O1P_TRANSACTIONAL_ID_PREFIX", "it-" + id);
        s.env.put("O1P_RUN_ID", "run-" + id);
        s.env.put("O1P_POLL_TIMEOUT", "100ms");
        s.env.put("O1P_SHUTDOWN_TIMEOUT", "20s");
        s.env.putAll(extra);
        return s;
    }

    private static List<PromptRecord> toyPrompts(int n, int k, long policyVersion) {
        List<String> lines = ToyWorld.standard().problems(Split.TRAIN).subList(0, n).stream()
                .map(ProblemFiles::toLine).collect(Collectors.toList());
        PromptLoader.Result r = PromptLoader.parse(lines, new PromptLoader.Options("toy_train", null, k, 0,
                policyVersion, PromptRecord.VARIANT_DEFAULT, 0, System.currentTimeMillis()));
        assertEquals(0, r.skippedCount());
        return r.prompts();
    }

    private static void produce(KafkaCluster kafka, String topic, List<byte[][]> keyValues) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[][] kv : keyValues) {
                p.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
            p.flush();
        }
    }

    private static List<byte[][]> one(byte[] key, byte[] value) {
        List<byte[][]> l = new ArrayList<>();
        l.add(new byte[][] {key, value});
        return l;
    }

    private static void producePrompts(KafkaCluster kafka, String topic, List<PromptRecord> prompts) {
        produce(kafka, topic, prompts.stream().map(p -> new byte[][] {Keys.of(p), Codecs.PROMPT.encode(p)}).toList());
    }

    /** Reads a topic read_committed until {@code expected} records came (or the wait ran out), then {@code settle} more. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(KafkaCluster kafka, String topic, int expected,
                                                             Duration settle) {
        return TopicReader.readCommitted(kafka.bootstrapServers(), topic, expected, WAIT, settle);
    }

    private static List<SampleRecord> samples(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> Codecs.SAMPLE.decode(r.value())).toList();
    }

    /** Every problem has exactly samples 0..k-1, once each. */
    private static void assertCompleteGroups(List<PromptRecord> prompts, int k, List<SampleRecord> out) {
        Map<String, List<Integer>> byProblem = new TreeMap<>();
        for (SampleRecord s : out) {
            byProblem.computeIfAbsent(s.problemId(), x -> new ArrayList<>()).add(s.sampleIndex());
        }
        assertEquals(prompts.stream().map(PromptRecord::problemId).sorted().toList(), List.copyOf(byProblem.keySet()),
                "every problem, and no other, has samples");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            all.add(i);
        }
        byProblem.forEach((p, idx) -> assertEquals(all, idx.stream().sorted().toList(),
                p + ": exactly the K sample indices, none twice"));
        assertEquals(prompts.size() * k, out.size());
    }

    /** Checks the recorded log-probs against a teacher-forced scorer on {@code model}. */
    private static double maxLogProbError(CausalLM model, List<SampleRecord> out) {
        Scorer scorer = new Scorer(model);
        double worst = 0;
        for (int from = 0; from < out.size(); from += 8) {
            List<SampleRecord> chunk = out.subList(from, Math.min(out.size(), from + 8));
            float[][] again = scorer.tokenLogProbsNoGrad(chunk.stream().map(SampleRecord::promptTokenIds).toList(),
                    chunk.stream().map(SampleRecord::responseTokenIds).toList(), ToyVocabulary.get().padId());
            for (int i = 0; i < chunk.size(); i++) {
                float[] rec = chunk.get(i).logProbs();
                assertEquals(rec.length, again[i].length);
                for (int t = 0; t < rec.length; t++) {
                    worst = Math.max(worst, Math.abs(rec[t] - again[i][t]));
                }
            }
        }
        return worst;
    }

    @Test
    void promptsBecomeKSamplesEachWithLogProbsTheScorerReproduces(KafkaCluster kafka) throws Exception {
        Path model = ToyModels.writeRandom(tmp.resolve("v0"), 1);
        Setup s = setup(kafka, model, Map.of("O1P_SAMPLER_BATCH_SIZE", "5", "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", "3"));
        int n = 7;
        int k = 4;
        List<PromptRecord> prompts = toyPrompts(n, k, 0);
        producePrompts(kafka, s.prompts, prompts);
        produce(kafka, s.prompts, one("junk".getBytes(StandardCharsets.UTF_8),
                "not a record".getBytes(StandardCharsets.UTF_8)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SamplerService service = SamplerService.start(SamplerConfig.load(s.env), registry)) {
            assertTrue(service.awaitRunning(WAIT));
            List<SampleRecord> out = samples(readCommitted(kafka, s.samples, n * k, Duration.ofSeconds(1)));
            assertCompleteGroups(prompts, k, out);
            try (ModelPolicy ref = ModelPolicy.load(model, 0, Device.cpu())) {
                Map<String, PromptRecord> byId = prompts.stream()
                        .collect(Collectors.toMap(PromptRecord::problemId, p -> p));
                for (SampleRecord r : out) {
                    PromptRecord p = byId.get(r.problemId());
                    assertArrayEquals(ref.promptTokens(p), r.promptTokenIds());
                    assertEquals(p.answer(), r.answer());
                    assertEquals(0, r.policyVersion());
                    assertEquals(k, r.k());
                    assertTrue(r.responseTokenIds().length >= 1 && r.responseTokenIds().length <= 24);
                }
                double err = maxLogProbError(ref.model(), out);
                assertTrue(err < 1e-3, "recorded log-probs differ from the scorer's by " + err);
            }
            List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(kafka, s.dlq, 1, Duration.ZERO);
            assertEquals(1, dead.size());
            assertEquals("undecodable", new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
                    StandardCharsets.UTF_8));
            assertEquals(n * k, service.metrics().samplesTotal());
            assertTrue(service.metrics().tokensTotal() >= n * k);
            assertEquals(n * k, registry.get("o1p.sampler.generation.length").summary().count());
            assertTrue(registry.get("o1p.sampler.batch.occupancy").summary().count() > 0);
            assertTrue(registry.get("o1p.sampler.sample.duration").timer().count() > 0);
            assertEquals(0.0, registry.get("o1p.sampler.policy.version").gauge().value());
            assertEquals(0.0, registry.get("o1p.sampler.queue.depth").gauge().value());
            assertEquals(1.0, registry.get("o1p.sampler.dead.letters").tag("reason", "undecodable").counter().count());
            assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("kafka.producer")),
                    "the loop's Kafka client metrics are bound");
        }
    }

    private static CheckpointRecord checkpointRecord(String runId, long version, Path dir) {
        Map<String, String> sums = new TreeMap<>();
        Manifest.read(dir).files().forEach((f, sum) -> sums.put(f, sum.sha256()));
        sums.put(Manifest.FILE_NAME, Manifest.sha256(dir.resolve(Manifest.FILE_NAME)));
        return new CheckpointRecord(runId, version, version * 10, dir.toUri().toString(), sums, version - 1,
                "o1-pruner", Map.of("loss", 0.5), System.currentTimeMillis());
    }

    @Test
    void aFreshSamplerVerifiesAPublishedCheckpointAndSamplesWithItThenRefusesACorruptOne(KafkaCluster kafka)
            throws Exception {
        Path v0 = ToyModels.writeRandom(tmp.resolve("v0"), 1);
        Path v1 = ToyModels.writeRandom(tmp.resolve("v1"), 2);
        Path v2 = ToyModels.writeRandom(tmp.resolve("v2"), 3);
        Setup s = setup(kafka, v0, Map.of("O1P_SAMPLER_FOLLOW", "latest", "O1P_SAMPLER_BATCH_SIZE", "8"));
        String run = s.env.get("O1P_RUN_ID");
        produce(kafka, s.checkpoints, one(Keys.forRun(run),
                Codecs.CHECKPOINT.encode(checkpointRecord(run, 1, v1))));
        produce(kafka, s.checkpoints, one(Keys.forRun("another-run"),
                Codecs.CHECKPOINT.encode(checkpointRecord("another-run", 7, v2))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SamplerService service = SamplerService.start(SamplerConfig.load(s.env), registry)) {
            assertTrue(service.awaitRunning(WAIT));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (service.loop().policyVersion() != 1 && System.nanoTime() < deadline) {
                // the loop switches between batches; an idle loop checks once per poll
                Thread.sleep(50);
            }
            assertEquals(1, service.loop().policyVersion());
            List<PromptRecord> prompts = toyPrompts(3, 4, 1);
            producePrompts(kafka, s.prompts, prompts);
            List<SampleRecord> out = samples(readCommitted(kafka, s.samples, 12, Duration.ofMillis(500)));
            assertCompleteGroups(prompts, 4, out);
            assertTrue(out.stream().allMatch(r -> r.policyVersion() == 1));
            try (CausalLM m1 = CausalLM.load(v1, Device.cpu()); CausalLM m0 = CausalLM.load(v0, Device.cpu())) {
                assertTrue(maxLogProbError(m1, out) < 1e-3, "sampled by version 1");
                assertTrue(maxLogProbError(m0, out) > 1e-2, "not by version 0");
            }

            // version 2 of this run, corrupted after its manifest was written: refused, version 1 stays
            CheckpointRecord r2 = checkpointRecord(run, 2, v2);
            try (RandomAccessFile f = new RandomAccessFile(v2.resolve("model.safetensors").toFile(), "rw")) {
                f.seek(f.length() - 3);
                int b = f.read();
                f.seek(f.length() - 3);
                f.write(b ^ 0x55);
            }
            produce(kafka, s.checkpoints, one(Keys.forRun(run), Codecs.CHECKPOINT.encode(r2)));
            deadline = System.nanoTime() + WAIT.toNanos();
            while (service.metrics().checkpointsRefused() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1.0, service.metrics().checkpointsRefused());
            assertEquals(1, service.loop().policyVersion());
        }
    }

    @Test
    void killedMidGroupAndRestartedNoProblemIsMissingOrDuplicated(KafkaCluster kafka) throws Exception {
        Path model = ToyModels.writeRandom(tmp.resolve("v0"), 1);
        Setup s = setup(kafka, model, Map.of("O1P_SAMPLER_BATCH_SIZE", "3", "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", "2",
                "O1P_SAMPLER_MAX_NEW_TOKENS", "48", "O1P_SAMPLER_TEMPERATURE", "1.0", "O1P_SAMPLER_TOP_P", "1"));
        int n = 60;
        int k = 4;
        List<PromptRecord> prompts = toyPrompts(n, k, 0);
        producePrompts(kafka, s.prompts, prompts);

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                SamplerChildMain.class.getName());
        pb.environment().putAll(s.env);
        pb.redirectErrorStream(true);
        Path log = tmp.resolve("child.log");
        pb.redirectOutput(log.toFile());
        Process child = pb.start();
        int beforeKill;
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            int seen = 0;
            while (seen < 2 * k && System.nanoTime() < deadline && child.isAlive()) {
                seen = readCommitted(kafka, s.samples, 0, Duration.ofMillis(200)).size();
            }
            assertTrue(child.isAlive(), () -> "the child sampler died: " + read(log));
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no abort, no offset commit
            child.waitFor();
            beforeKill = readCommitted(kafka, s.samples, 0, Duration.ofMillis(300)).size();
        } finally {
            child.destroyForcibly();
        }
        assertTrue(beforeKill >= 2 * k && beforeKill < n * k, "killed mid-stream after " + beforeKill + " samples");
        assertEquals(0, beforeKill % k, "read_committed readers only ever see whole groups");

        try (SamplerService restarted = SamplerService.start(SamplerConfig.load(s.env), new SimpleMeterRegistry())) {
            assertTrue(restarted.awaitRunning(WAIT));
            List<SampleRecord> out = samples(readCommitted(kafka, s.samples, n * k, Duration.ofSeconds(2)));
            assertCompleteGroups(prompts, k, out);
        }
    }

    @Test
    void samplingPausesWhileTheDownstreamGroupLagsAndResumesWhenItCatchesUp(KafkaCluster kafka) throws Exception {
        Path model = ToyModels.writeRandom(tmp.resolve("v0"), 1);
        String downstream = "reward-it-" + UUID.randomUUID();
        Setup s = setup(kafka, model, Map.of("O1P_SAMPLER_BATCH_SIZE", "4", "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", "1",
                "O1P_SAMPLER_MAX_DOWNSTREAM_LAG", "6", "O1P_SAMPLER_DOWNSTREAM_GROUP", downstream,
                "O1P_SAMPLER_MAX_NEW_TOKENS", "8", "O1P_SAMPLER_LAG_CHECK_INTERVAL", "10ms"));
        int n = 10;
        int k = 4;
        List<PromptRecord> prompts = toyPrompts(n, k, 0);
        producePrompts(kafka, s.prompts, prompts);
        try (SamplerService service = SamplerService.start(SamplerConfig.load(s.env), new SimpleMeterRegistry())) {
            assertTrue(service.awaitRunning(WAIT));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (service.metrics().backpressurePauses() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            int whilePaused = readCommitted(kafka, s.samples, 0, Duration.ofSeconds(2)).size();
            // lag limit 6 (transaction markers count as lag too), one prompt (4 samples) per transaction
            assertTrue(whilePaused >= k && whilePaused <= 6 + 2 * k, "paused after " + whilePaused + " samples");
            assertTrue(whilePaused < n * k);

            // the downstream group catches up: consume and commit what is there, repeatedly
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, downstream, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            int consumed = 0;
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                c.subscribe(List.of(s.samples));
                deadline = System.nanoTime() + WAIT.toNanos();
                while (consumed < n * k && System.nanoTime() < deadline) {
                    consumed += c.poll(Duration.ofMillis(200)).count();
                    c.commitSync();
                }
            }
            assertEquals(n * k, consumed, "sampling resumed once the group caught up");
            assertCompleteGroups(prompts, k, samples(readCommitted(kafka, s.samples, n * k, Duration.ZERO)));
        }
    }

    @Test
    void twoSamplersInOneGroupShareThePromptsAndEveryGroupIsProducedOnce(KafkaCluster kafka) throws Exception {
        Path model = ToyModels.writeRandom(tmp.resolve("v0"), 1);
        Setup s = setup(kafka, model, Map.of("O1P_SAMPLER_BATCH_SIZE", "4", "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", "1",
                "O1P_SAMPLER_MAX_NEW_TOKENS", "32"));
        int n = 24;
        int k = 3;
        List<PromptRecord> prompts = toyPrompts(n, k, 0);
        Map<String, String> second = new HashMap<>(s.env);
        second.put("O1P_INSTANCE_ID", "1");
        try (SamplerService a = SamplerService.start(SamplerConfig.load(s.env), new SimpleMeterRegistry());
             SamplerService b = SamplerService.start(SamplerConfig.load(second), new SimpleMeterRegistry())) {
            assertTrue(a.awaitRunning(WAIT) && b.awaitRunning(WAIT));
            awaitMembersWithPartitions(kafka, s.env.get("O1P_CONSUMER_GROUP"), 2);
            producePrompts(kafka, s.prompts, prompts);
            List<SampleRecord> out = samples(readCommitted(kafka, s.samples, n * k, Duration.ofSeconds(2)));
            assertCompleteGroups(prompts, k, out);
            assertTrue(a.metrics().samplesTotal() > 0 && b.metrics().samplesTotal() > 0,
                    "both samplers worked: " + a.metrics().samplesTotal() + " / " + b.metrics().samplesTotal());
        }
    }

    /** Waits until the group has {@code members} members that each hold at least one partition. */
    private static void awaitMembersWithPartitions(KafkaCluster kafka, String group, int members) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
                long holding = d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (holding >= members) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "group " + group + " never had " + members
                        + " members with partitions: " + d);
                Thread.sleep(200);
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
