package org.o1pruner.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.o1pruner.runtime.Emitter;
import org.o1pruner.runtime.StateRestorer;
import org.o1pruner.runtime.StreamProcessor;
import org.o1pruner.runtime.TransactionalLoop;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.TopicReader;
import org.o1pruner.testing.KafkaExtension;

/** The reward service on a real broker: exactly-once scoring, dead letters, crash and restore, timeouts. */
@ExtendWith(KafkaExtension.class)
class RewardServiceIT {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Unique topics, group and transactional id per test: the broker is shared. */
    private record Setup(String samples, String scored, String changelog, String dlq, Map<String, String> env) {}

    private static Setup setup(KafkaCluster kafka, Map<String, String> extra) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Setup s = new Setup("samples-" + id, "scored-" + id, "changelog-" + id, "dlq-" + id, new HashMap<>());
        kafka.createTopic(s.samples, PARTITIONS, Map.of());
        kafka.createTopic(s.scored, PARTITIONS, Map.of());
        kafka.createTopic(s.dlq, 1, Map.of());
        s.env.put("O1P_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        s.env.put("O1P_REWARD_INPUT_TOPIC", s.samples);
        s.env.put("O1P_REWARD_OUTPUT_TOPIC", s.scored);
        s.env.put("O1P_REWARD_CHANGELOG_TOPIC", s.changelog);
        s.env.put("O1P_REWARD_DEAD_LETTER_TOPIC", s.dlq);
        s.env.put("O1P_CONSUMER_GROUP", "reward-it-" + id);
        s.env.put("O1P_TRANSACTIONAL_ID_PREFIX", "it-" + id);
        s.env.put("O1P_POLL_TIMEOUT", "100ms");
        s.env.put("O1P_FLUSH_INTERVAL", "200ms");
        s.env.put("O1P_SHUTDOWN_TIMEOUT", "10s");
        s.env.putAll(extra);
        return s;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void produce(KafkaCluster kafka, String topic, List<byte[][]> keyValues) {
        try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
            for (byte[][] kv : keyValues) {
                p.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
            p.flush();
        }
    }

    private static byte[][] kv(SampleRecord s) {
        return new byte[][] {Keys.of(s), Codecs.SAMPLE.encode(s)};
    }

    /** Reads a topic with read_committed until {@code expected} records came, then {@code settle} more. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(KafkaCluster kafka, String topic, int expected,
                                                                     Duration settle) {
        return TopicReader.readCommitted(kafka.bootstrapServers(), topic, expected, WAIT, settle);
    }

    private static List<ScoredRecord> scored(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> Codecs.SCORED.decode(r.value())).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void kTimesNSamplesInGiveExactlyKTimesNScoredWithHandCheckedRewards(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of());
        int n = 12;
        int k = 4;
        int[] lengths = {100, 200, 300, 400};
        List<byte[][]> in = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            boolean even = p % 2 == 0;
            for (int i = 0; i < k; i++) {
                // odd problems: correct, correct, wrong, correct; even problems: only sample 0 correct
                boolean correct = even ? i == 0 : i != 2;
                in.add(kv(Samples.answering("prob-" + p, i, k, correct ? "42" : "41", "42", lengths[i])));
            }
        }
        Collections.shuffle(in, new Random(7));
        produce(kafka, s.samples, in);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RewardService service = RewardService.start(RewardConfig.load(s.env), registry)) {
            List<ScoredRecord> out = scored(readCommitted(kafka, s.scored, n * k, Duration.ofSeconds(2)));
            assertEquals(n * k, out.size());
            Set<String> ids = new HashSet<>();
            // L̄ = (100+200+300+400)/4 = 250, λ = 2
            // odd: Ā = 3/4 → 250/100−1+2(1−.75)=2.0, 250/200−1+0.5=0.75, 250/300−1−1.5=−1.6667, 250/400−1+0.5=0.125
            // even: Ā = 1/4 → 1.5+1.5=3.0, 0.25−0.5=−0.25, −0.16667−0.5=−0.66667, −0.375−0.5=−0.875
            double[] odd = {2.0, 0.75, 250.0 / 300 - 1 - 1.5, 0.125};
            double[] even = {3.0, -0.25, 250.0 / 300 - 1 - 0.5, -0.875};
            for (ScoredRecord r : out) {
                assertTrue(ids.add(r.problemId() + "#" + r.sample().sampleIndex()), "scored twice: " + r);
                int p = Integer.parseInt(r.problemId().substring(5));
                int i = r.sample().sampleIndex();
                assertEquals(250.0, r.meanLengthRef(), 1e-9);
                assertEquals(p % 2 == 0 ? 0.25 : 0.75, r.meanAccuracyRef(), 1e-9);
                assertEquals(k, r.groupSize());
                assertFalse(r.incompleteGroup());
                assertEquals((p % 2 == 0 ? even : odd)[i], r.rawReward(), 1e-9, r.problemId() + "#" + i);
            }
            assertEquals(n * k, registry.get(RewardMetrics.SAMPLES_SCORED).tag("dataset", "gsm8k").counter().count());
        }
    }

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonAndProcessingContinues(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of());
        SampleRecord base = Samples.answering("bad", 0, 2, "42", "42", 9);
        byte[] garbage = {1, 2, 3, 4, 5};
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("undecodable", garbage);
        bad.put("unsupported-version", Corrupt.wrongVersion(base));
        bad.put("not-finite", Corrupt.nanLogProb(base));
        bad.put("negative-or-out-of-range", Corrupt.negativeIndex(base));
        bad.put("length-mismatch", Corrupt.mismatchedArrays(base));
        List<byte[][]> in = new ArrayList<>();
        bad.values().forEach(v -> in.add(new byte[][] {Keys.forProblem("bad"), v}));
        in.add(kv(Samples.answering("good", 0, 2, "42", "42", 10)));
        in.add(kv(Samples.answering("good", 1, 2, "7", "42", 30)));
        produce(kafka, s.samples, in);
        try (RewardService service = RewardService.start(RewardConfig.load(s.env), new SimpleMeterRegistry())) {
            List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(kafka, s.dlq, bad.size(), Duration.ofSeconds(1));
            assertEquals(bad.size(), dead.size());
            Map<String, byte[]> byReason = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                byReason.put(header(r, DeadLetterHeaders.REASON), r.value());
                assertEquals(s.samples, header(r, DeadLetterHeaders.SOURCE_TOPIC));
                assertEquals("reward", header(r, DeadLetterHeaders.SERVICE));
                assertEquals("bad", new String(r.key(), StandardCharsets.UTF_8));
            }
            for (var e : bad.entrySet()) {
                assertTrue(byReason.containsKey(e.getKey()), "no dead letter with reason " + e.getKey() + ": " + byReason.keySet());
                assertArrayEquals(e.getValue(), byReason.get(e.getKey()), "original bytes for " + e.getKey());
            }
            List<ScoredRecord> out = scored(readCommitted(kafka, s.scored, 2, Duration.ofMillis(500)));
            assertEquals(2, out.size(), "the good group after the bad records is still scored");
            assertEquals(2.0 - 1 + 2 * 0.5, out.stream().filter(r -> r.sample().sampleIndex() == 0).findFirst()
                    .orElseThrow().rawReward(), 1e-9);
        }
    }

    @Test
    void duplicatesAreDroppedAndCounted(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of());
        List<byte[][]> in = new ArrayList<>();
        SampleRecord a = Samples.answering("dup", 0, 2, "42", "42", 10);
        SampleRecord b = Samples.answering("dup", 1, 2, "42", "42", 20);
        in.add(kv(a));
        in.add(kv(a));
        in.add(kv(b));
        in.add(kv(a));
        in.add(kv(b));
        produce(kafka, s.samples, in);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RewardService service = RewardService.start(RewardConfig.load(s.env), registry)) {
            List<ScoredRecord> out = scored(readCommitted(kafka, s.scored, 2, Duration.ofSeconds(2)));
            assertEquals(2, out.size());
            assertEquals(3.0, registry.get(RewardMetrics.SAMPLES_DUPLICATE).counter().count());
        }
    }

    @Test
    void incompleteGroupIsEmittedFlaggedAfterTheTimeout(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of("O1P_REWARD_GROUP_TIMEOUT", "1s", "O1P_REWARD_INCOMPLETE_POLICY", "emit-flagged"));
        produce(kafka, s.samples, List.of(kv(Samples.answering("slow", 0, 4, "42", "42", 10)),
                kv(Samples.answering("slow", 2, 4, "3", "42", 30))));
        try (RewardService service = RewardService.start(RewardConfig.load(s.env), new SimpleMeterRegistry())) {
            List<ScoredRecord> out = scored(readCommitted(kafka, s.scored, 2, Duration.ofMillis(500)));
            assertEquals(2, out.size());
            for (ScoredRecord r : out) {
                assertTrue(r.incompleteGroup());
                assertEquals(2, r.groupSize());
                assertEquals(20.0, r.meanLengthRef(), 1e-9);
                assertEquals(0.5, r.meanAccuracyRef(), 1e-9);
            }
        }
    }

    @Test
    void incompleteGroupIsDeadLetteredAfterTheTimeoutUnderThatPolicy(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of("O1P_REWARD_GROUP_TIMEOUT", "1s", "O1P_REWARD_INCOMPLETE_POLICY", "dead-letter"));
        byte[][] only = kv(Samples.answering("slow", 1, 4, "42", "42", 10));
        produce(kafka, s.samples, List.<byte[][]>of(only));
        try (RewardService service = RewardService.start(RewardConfig.load(s.env), new SimpleMeterRegistry())) {
            List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(kafka, s.dlq, 1, Duration.ofMillis(500));
            assertEquals(1, dead.size());
            assertEquals("group-timeout", header(dead.get(0), DeadLetterHeaders.REASON));
            assertArrayEquals(only[1], dead.get(0).value());
            assertEquals(0, readCommitted(kafka, s.scored, 0, Duration.ofMillis(300)).size());
        }
    }

    /**
     * Runs the real processor but hangs the loop thread, mid-transaction, at the {@code crashAt}-th
     * record: to the cluster that is a killed process (its transaction stays open, its consumer
     * stops polling) until a successor with the same transactional id fences it.
     */
    private static final class HangingProcessor implements StreamProcessor {
        private final StreamProcessor delegate;
        private final int crashAt;
        private final AtomicInteger seen = new AtomicInteger();
        final CountDownLatch hung = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HangingProcessor(StreamProcessor delegate, int crashAt) {
            this.delegate = delegate;
            this.crashAt = crashAt;
        }

        @Override
        public void process(ConsumerRecord<byte[], byte[]> record, Emitter out) {
            if (seen.incrementAndGet() == crashAt) {
                hung.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("crashed");
            }
            delegate.process(record, out);
        }

        @Override
        public void punctuate(long nowMs, Emitter out) {
            delegate.punctuate(nowMs, out);
        }

        @Override
        public void onAssigned(java.util.Collection<TopicPartition> partitions, StateRestorer restorer) {
            delegate.onAssigned(partitions, restorer);
        }

        @Override
        public void onRevoked(java.util.Collection<TopicPartition> partitions) {
            delegate.onRevoked(partitions);
        }

        @Override
        public void onAbort() {
            delegate.onAbort();
        }
    }

    @Test
    void killedMidStreamAndRestartedEverySampleIsScoredExactlyOnce(KafkaCluster kafka) throws Exception {
        Setup s = setup(kafka, Map.of("O1P_MAX_POLL_RECORDS", "7"));
        int n = 30;
        int k = 4;
        List<byte[][]> in = new ArrayList<>();
        // round-robin over problems: every group is half complete for most of the stream
        for (int i = 0; i < k; i++) {
            for (int p = 0; p < n; p++) {
                in.add(kv(Samples.answering("crash-" + p, i, k, (p + i) % 3 == 0 ? "1" : "42", "42", 10 + 5 * i + p)));
            }
        }
        produce(kafka, s.samples, in);
        RewardConfig config = RewardConfig.load(s.env);
        RewardService.ensureChangelog(config);
        Map<String, Object> fastEviction = Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 6000);

        SimpleMeterRegistry first = new SimpleMeterRegistry();
        HangingProcessor hanging = new HangingProcessor(
                RewardService.processor(config, RewardService.metrics(config, first), Clock.systemUTC()), 70);
        TransactionalLoop crashed = TransactionalLoop.start(RewardService.loopOptions(config, first, Clock.systemUTC())
                .optConsumerOverrides(fastEviction).build(), hanging);
        try {
            assertTrue(hanging.hung.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            int beforeCrash = readCommitted(kafka, s.scored, 0, Duration.ofMillis(500)).size();
            assertTrue(beforeCrash < n * k, "the crash must come before the end: " + beforeCrash);

            SimpleMeterRegistry second = new SimpleMeterRegistry();
            RewardMetrics metrics = RewardService.metrics(config, second);
            try (TransactionalLoop restarted = TransactionalLoop.start(RewardService.loopOptions(config, second,
                    Clock.systemUTC()).optConsumerOverrides(fastEviction).build(),
                    RewardService.processor(config, metrics, Clock.systemUTC()))) {
                List<ScoredRecord> out = scored(readCommitted(kafka, s.scored, n * k, Duration.ofSeconds(3)));
                Map<String, Integer> times = new HashMap<>();
                for (ScoredRecord r : out) {
                    times.merge(r.problemId() + "#" + r.sample().sampleIndex(), 1, Integer::sum);
                    assertFalse(r.incompleteGroup());
                    assertEquals(k, r.groupSize());
                }
                assertEquals(n * k, times.size(), "every sample scored");
                assertTrue(times.values().stream().allMatch(t -> t == 1), "some sample scored twice: " + times);
                assertEquals(n * k, out.size());
                assertTrue(second.get(RewardMetrics.RESTORED).counter().count() > 0,
                        "half-complete groups were rebuilt from the changelog");
            }
        } finally {
            hanging.release.countDown();
            crashed.close(Duration.ofSeconds(10));
        }
    }
}
