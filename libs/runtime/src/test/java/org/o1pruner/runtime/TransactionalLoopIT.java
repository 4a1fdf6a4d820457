package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.o1pruner.runtime.TestClients.str;
import static org.o1pruner.runtime.TestClients.unique;
import static org.o1pruner.runtime.TestClients.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.RecordException;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;

/** The transactional loop against a real broker: exactly once, dead letters, restarts, retries, fencing. */
@ExtendWith(KafkaExtension.class)
class TransactionalLoopIT {
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final KafkaCluster kafka;
    private final String in = unique("in");
    private final String out = unique("out");
    private final String changelog = unique("changelog");
    private final String dlq = unique("dlq");

    TransactionalLoopIT(KafkaCluster kafka) {
        this.kafka = kafka;
        kafka.createTopic(in, 3, Map.of());
        kafka.createTopic(out, 3, Map.of());
        kafka.createTopic(changelog, 3, TestClients.topicConfigsCompact());
        kafka.createTopic(dlq, 1, Map.of());
    }

    private LoopOptions.Builder options(String transactionalId, String group) {
        return LoopOptions.builder()
                .setService("test")
                .setBootstrapServers(kafka.bootstrapServers())
                .setGroupId(group)
                .setTransactionalId(transactionalId)
                .setInputTopics(List.of(in))
                .optDeadLetterTopic(dlq)
                .optPollTimeout(Duration.ofMillis(100))
                .optRetryBackoff(Duration.ofMillis(50));
    }

    private static StreamProcessor uppercase(String outTopic) {
        return (record, emitter) -> emitter.send(outTopic, record.key(), utf8(str(record.value()).toUpperCase(Locale.ROOT)));
    }

    private List<ProducerRecord<byte[], byte[]>> inputs(int n, int keys) {
        return IntStream.range(0, n)
                .mapToObj(i -> new ProducerRecord<>(in, utf8("key-" + (i % keys)), utf8("value-" + i)))
                .collect(Collectors.toList());
    }

    @Test
    void nRecordsInGiveExactlyNOut() throws Exception {
        int n = 500;
        TestClients.produce(kafka.bootstrapServers(), inputs(n, 50));
        try (TransactionalLoop loop = TransactionalLoop.start(options(unique("tx"), unique("g")).optMaxPollRecords(64).build(),
                uppercase(out))) {
            assertTrue(loop.awaitRunning(TIMEOUT));
            List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, n, QUIET, TIMEOUT);
            assertEquals(n, got.size());
            assertEquals(IntStream.range(0, n).mapToObj(i -> "VALUE-" + i).sorted().collect(Collectors.toList()),
                    got.stream().map(r -> str(r.value())).sorted().collect(Collectors.toList()));
            assertEquals(n, loop.metrics().registry().get("o1p.test.loop.records").counter().count());
            assertEquals(0, loop.metrics().abortedTransactions());
        }
    }

    @Test
    void rejectedRecordsGoToDeadLetterWithOriginalBytesAndHeadersAndProcessingContinues() throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(in, 0, utf8("k1"), utf8("fine-1")));
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", utf8("abc"));
        byte[] poisonValue = {(byte) 0xff, 0x00, 0x7f, 'p'};
        records.add(new ProducerRecord<>(in, 0, utf8("k2"), poisonValue, headers));
        records.add(new ProducerRecord<>(in, 0, utf8("k3"), utf8("garbage")));
        records.add(new ProducerRecord<>(in, 0, utf8("k4"), utf8("boom")));
        records.add(new ProducerRecord<>(in, 0, utf8("k5"), utf8("fine-2")));
        TestClients.produce(kafka.bootstrapServers(), records);

        StreamProcessor processor = (record, emitter) -> {
            String v = str(record.value());
            // emitted before rejecting: must not leak into the output
            emitter.send(out, record.key(), utf8("partial-" + v));
            if (record.value()[0] == (byte) 0xff) {
                throw new RecordRejectedException(DeadLetterReason.UNDECODABLE, "bad magic 0xff");
            }
            if (v.equals("garbage")) {
                throw new RecordException(DeadLetterReason.MISSING_FIELD, "field answer is missing");
            }
            if (v.equals("boom")) {
                throw new IllegalStateException("unexpected bug");
            }
        };
        StreamProcessor keepLast = new StreamProcessor() {
            @Override
            public void process(ConsumerRecord<byte[], byte[]> record, Emitter emitter) {
                List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> mine = new ArrayList<>();
                processor.process(record, mine::add);
                mine.clear();
                emitter.send(out, record.key(), utf8("ok-" + str(record.value())));
            }
        };
        try (TransactionalLoop loop = TransactionalLoop.start(options(unique("tx"), unique("g")).build(), keepLast)) {
            assertTrue(loop.awaitRunning(TIMEOUT));
            List<ConsumerRecord<byte[], byte[]>> dead = TestClients.readCommitted(kafka.bootstrapServers(), dlq, 3, QUIET, TIMEOUT);
            assertEquals(3, dead.size());
            ConsumerRecord<byte[], byte[]> first = dead.get(0);
            assertArrayEquals(utf8("k2"), first.key());
            assertArrayEquals(poisonValue, first.value());
            assertEquals("abc", str(first.headers().lastHeader("trace").value()));
            assertEquals("undecodable", str(first.headers().lastHeader(DeadLetterHeaders.REASON).value()));
            assertEquals("bad magic 0xff", str(first.headers().lastHeader(DeadLetterHeaders.DETAIL).value()));
            assertEquals(in, str(first.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value()));
            assertEquals("0", str(first.headers().lastHeader(DeadLetterHeaders.SOURCE_PARTITION).value()));
            assertEquals("1", str(first.headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET).value()));
            assertEquals("test", str(first.headers().lastHeader(DeadLetterHeaders.SERVICE).value()));
            assertEquals("missing-field", str(dead.get(1).headers().lastHeader(DeadLetterHeaders.REASON).value()));
            assertEquals("processing-failed", str(dead.get(2).headers().lastHeader(DeadLetterHeaders.REASON).value()));
            assertTrue(str(dead.get(2).headers().lastHeader(DeadLetterHeaders.DETAIL).value()).contains("unexpected bug"));

            List<ConsumerRecord<byte[], byte[]>> ok = TestClients.readCommitted(kafka.bootstrapServers(), out, 2, QUIET, TIMEOUT);
            // keys differ, so the outputs may land on different partitions: compare without order
            assertEquals(List.of("ok-fine-1", "ok-fine-2"), ok.stream().map(r -> str(r.value())).sorted().collect(Collectors.toList()));
            assertEquals(1.0, loop.metrics().deadLetters(DeadLetterReason.UNDECODABLE));
            assertEquals(1.0, loop.metrics().deadLetters(DeadLetterReason.MISSING_FIELD));
            assertEquals(1.0, loop.metrics().deadLetters(DeadLetterReason.PROCESSING_FAILED));
        }
    }

    @Test
    void partialOutputOfARejectedRecordIsDiscarded() throws Exception {
        TestClients.produce(kafka.bootstrapServers(), List.of(
                new ProducerRecord<>(in, 0, utf8("a"), utf8("good")),
                new ProducerRecord<>(in, 0, utf8("b"), utf8("bad")),
                new ProducerRecord<>(in, 0, utf8("c"), utf8("good"))));
        StreamProcessor processor = (record, emitter) -> {
            emitter.send(out, record.key(), record.value());
            if (str(record.value()).equals("bad")) {
                throw new RecordRejectedException(DeadLetterReason.INVALID, "bad");
            }
        };
        try (TransactionalLoop loop = TransactionalLoop.start(options(unique("tx"), unique("g")).build(), processor)) {
            assertTrue(loop.awaitRunning(TIMEOUT));
            List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, 2, QUIET, TIMEOUT);
            assertEquals(List.of("a", "c"), got.stream().map(r -> str(r.key())).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void closingMidStreamAndRestartingLosesNothingAndDuplicatesNothing() throws Exception {
        int n = 1200;
        TestClients.produce(kafka.bootstrapServers(), inputs(n, 30));
        String tx = unique("tx");
        String group = unique("g");
        CountingProcessor first = new CountingProcessor(out, changelog, r -> false, 2);
        TransactionalLoop loop = TransactionalLoop.start(options(tx, group).optMaxPollRecords(25).build(), first);
        assertTrue(loop.awaitRunning(TIMEOUT));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (first.processed.get() < n / 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(loop.close(Duration.ofSeconds(30)), "loop stops within the timeout");
        assertEquals(TransactionalLoop.State.STOPPED, loop.state());
        int beforeRestart = first.processed.get();
        assertTrue(beforeRestart > 0 && beforeRestart < n, "closed mid-stream: " + beforeRestart);

        CountingProcessor second = new CountingProcessor(out, changelog, r -> false, 0);
        try (TransactionalLoop again = TransactionalLoop.start(options(tx, group).optMaxPollRecords(25).build(), second)) {
            assertTrue(again.awaitRunning(TIMEOUT));
            List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, n, QUIET, TIMEOUT);
            assertExactlyOncePerKeySequences(got, n, 30);
            assertTrue(second.processed.get() < n, "the restarted loop resumed from committed offsets");
        }
    }

    @Test
    void aRetriableFailureAbortsTheBatchResetsStateAndRetriesWithoutDuplicates() throws Exception {
        int n = 300;
        TestClients.produce(kafka.bootstrapServers(), inputs(n, 10));
        CountingProcessor processor = new CountingProcessor(out, changelog,
                r -> r.offset() == 40, 0);
        try (TransactionalLoop loop = TransactionalLoop.start(options(unique("tx"), unique("g")).optMaxPollRecords(30).build(),
                processor)) {
            assertTrue(loop.awaitRunning(TIMEOUT));
            List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, n, QUIET, TIMEOUT);
            assertExactlyOncePerKeySequences(got, n, 10);
            assertEquals(1, processor.aborts.get(), "the processor was told to drop its state once");
            assertEquals(1.0, loop.metrics().abortedTransactions());
            assertTrue(loop.isReady());
        }
    }

    @Test
    void aFencedProducerStopsTheLoopAndFailsReadiness() throws Exception {
        String tx = unique("tx");
        try (TransactionalLoop zombie = TransactionalLoop.start(options(tx, unique("g")).build(), uppercase(out))) {
            assertTrue(zombie.awaitRunning(TIMEOUT));
            assertTrue(zombie.isReady());
            try (TransactionalLoop successor = TransactionalLoop.start(options(tx, unique("g2")).build(), uppercase(out))) {
                assertTrue(successor.awaitRunning(TIMEOUT));
                TestClients.produce(kafka.bootstrapServers(), inputs(5, 5));
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (zombie.state() != TransactionalLoop.State.FAILED && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(TransactionalLoop.State.FAILED, zombie.state());
                assertFalse(zombie.isReady());
                Throwable cause = zombie.failure().orElseThrow();
                assertTrue(chainHas(cause, ProducerFencedException.class)
                        || chainHas(cause, org.apache.kafka.common.errors.ApplicationRecoverableException.class), cause.toString());
                assertTrue(successor.isReady());
                assertEquals(5, TestClients.readCommitted(kafka.bootstrapServers(), out, 5, QUIET, TIMEOUT).size());
            }
        }
    }

    @Test
    void aSecondInstanceJoiningTheGroupTakesPartitionsOverWithStateAndWithoutDuplicates() throws Exception {
        int n = 900;
        TestClients.produce(kafka.bootstrapServers(), inputs(n, 30));
        String group = unique("g");
        CountingProcessor a = new CountingProcessor(out, changelog, r -> false, 3);
        CountingProcessor b = new CountingProcessor(out, changelog, r -> false, 3);
        try (TransactionalLoop first = TransactionalLoop.start(options(unique("tx-a"), group).optMaxPollRecords(20).build(), a)) {
            assertTrue(first.awaitRunning(TIMEOUT));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (a.processed.get() < n / 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (TransactionalLoop second = TransactionalLoop.start(options(unique("tx-b"), group).optMaxPollRecords(20).build(), b)) {
                assertTrue(second.awaitRunning(TIMEOUT));
                List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, n, QUIET, TIMEOUT);
                assertExactlyOncePerKeySequences(got, n, 30);
                assertTrue(b.processed.get() > 0, "the second instance got partitions");
                assertTrue(b.restores.get() > 0, "and restored their state from the changelog");
            }
        }
    }

    @Test
    void punctuateRunsOnTheInjectedClockInsideTheTransaction() throws Exception {
        MutableClock clock = new MutableClock();
        List<String> buffered = new ArrayList<>();
        StreamProcessor batching = new StreamProcessor() {
            @Override
            public void process(ConsumerRecord<byte[], byte[]> record, Emitter emitter) {
                buffered.add(str(record.value()));
            }

            @Override
            public void punctuate(long nowMs, Emitter emitter) {
                for (String v : buffered) {
                    emitter.send(out, null, utf8(v + "@" + nowMs));
                }
                buffered.clear();
            }
        };
        try (TransactionalLoop loop = TransactionalLoop.start(options(unique("tx"), unique("g"))
                .optClock(clock).optFlushInterval(Duration.ofSeconds(60)).build(), batching)) {
            assertTrue(loop.awaitRunning(TIMEOUT));
            TestClients.produce(kafka.bootstrapServers(), inputs(3, 3));
            assertEquals(0, TestClients.readCommitted(kafka.bootstrapServers(), out, 0, QUIET, QUIET).size(),
                    "nothing before the flush interval passes on the loop's clock");
            clock.advance(Duration.ofSeconds(61));
            List<ConsumerRecord<byte[], byte[]>> got = TestClients.readCommitted(kafka.bootstrapServers(), out, 3, QUIET, TIMEOUT);
            assertEquals(3, got.size());
            long expectedAt = clock.millis();
            assertTrue(got.stream().allMatch(r -> str(r.value()).endsWith("@" + expectedAt)), "punctuated at clock time");
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends java.time.Clock {
        private final java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static boolean chainHas(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Every key's outputs are exactly key:1 .. key:m, once each, and n in total. */
    private static void assertExactlyOncePerKeySequences(List<ConsumerRecord<byte[], byte[]>> got, int n, int keys) {
        Map<String, List<Long>> perKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            String[] parts = str(r.value()).split(":");
            perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
        }
        Map<String, List<Long>> expected = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            long m = IntStream.range(0, n).filter(i -> i % keys == 0).count();
            int key = k;
            m = IntStream.range(0, n).filter(i -> i % keys == key).count();
            expected.put("key-" + k, java.util.stream.LongStream.rangeClosed(1, m).boxed().collect(Collectors.toList()));
        }
        Map<String, List<Long>> sorted = new HashMap<>();
        perKey.forEach((k, v) -> sorted.put(k, v.stream().sorted().collect(Collectors.toList())));
        assertEquals(expected, sorted, "per-key counts are 1..m with no gap and no repeat");
        assertEquals(n, got.size());
    }
}
