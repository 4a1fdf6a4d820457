package org.o1pruner.reward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.o1pruner.runtime.DeadLetters;
import org.o1pruner.runtime.Emitter;
import org.o1pruner.runtime.StateRestorer;
import org.o1pruner.runtime.StreamProcessor;
import org.o1pruner.schema.DeadLetterReason;

/**
 * The reward service's hop of the pipeline, as a {@link StreamProcessor} for the runtime's
 * transactional loop: it translates Kafka records to and from {@link RewardTask}, which
 * makes every decision. Per input record it emits scored records, changelog writes and
 * dead letters, all in the loop's transaction with the input offsets; on partition
 * assignment it rebuilds the open groups from the co-partitioned changelog.
 *
 * <p>Output that arises while restoring (where no transaction is open) is held back and
 * emitted at the start of the next {@link #process} or {@link #punctuate} call.
 */
public final class RewardProcessor implements StreamProcessor {
    /** Changelog header: the input offset a changelogged sample came from (8-byte big-endian). */
    public static final String SOURCE_OFFSET_HEADER = "o1p.reward.source-offset";

    private final RewardTask task;
    private final String inputTopic;
    private final String outputTopic;
    private final String changelogTopic;
    private final String deadLetterTopic;
    private final String service;
    private final List<ProducerRecord<byte[], byte[]>> deferred = new ArrayList<>();

    /**
     * @param task            the decisions
     * @param config          topic names
     * @param service         the service name for dead-letter headers
     */
    public RewardProcessor(RewardTask task, RewardConfig config, String service) {
        this.task = Objects.requireNonNull(task, "task");
        this.inputTopic = config.inputTopic();
        this.outputTopic = config.outputTopic();
        this.changelogTopic = config.changelogTopic();
        this.deadLetterTopic = config.deadLetterTopic();
        this.service = Objects.requireNonNull(service, "service");
    }

    /** The decision core (for metrics and tests). */
    public RewardTask task() {
        return task;
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Emitter out) {
        flushDeferred(out);
        task.onSample(record.partition(), record.offset(), record.key(), record.value(),
                new KafkaOutput(out::send, record));
    }

    @Override
    public void punctuate(long nowMs, Emitter out) {
        flushDeferred(out);
        task.punctuate(new KafkaOutput(out::send, null));
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions, StateRestorer restorer) {
        for (TopicPartition tp : partitions) {
            if (!tp.topic().equals(inputTopic)) {
                continue;
            }
            List<RewardTask.ChangelogEntry> entries = new ArrayList<>();
            restorer.restore(new TopicPartition(changelogTopic, tp.partition()), r -> {
                if (r.key() != null) { // every entry this service writes has a key; skip anything else
                    entries.add(new RewardTask.ChangelogEntry(new String(r.key(), StandardCharsets.UTF_8), r.value(),
                            r.timestamp(), sourceOffset(r)));
                }
            });
            task.restore(tp.partition(), RewardTask.live(entries), new KafkaOutput(deferred::add, null));
        }
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(inputTopic)) {
                task.revoke(tp.partition());
            }
        }
    }

    @Override
    public void onAbort() {
        deferred.clear();
        task.revokeAll();
    }

    private void flushDeferred(Emitter out) {
        if (!deferred.isEmpty()) {
            deferred.forEach(out::send);
            deferred.clear();
        }
    }

    private static long sourceOffset(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(SOURCE_OFFSET_HEADER);
        return h == null || h.value() == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    /** Maps the task's outputs onto producer records. */
    private final class KafkaOutput implements RewardTask.Output {
        private final java.util.function.Consumer<ProducerRecord<byte[], byte[]>> sink;
        private final ConsumerRecord<byte[], byte[]> current;

        KafkaOutput(java.util.function.Consumer<ProducerRecord<byte[], byte[]>> sink,
                    ConsumerRecord<byte[], byte[]> current) {
            this.sink = sink;
            this.current = current;
        }

        @Override
        public void scored(byte[] key, byte[] value) {
            sink.accept(new ProducerRecord<>(outputTopic, key, value));
        }

        @Override
        public void changelog(int partition, String key, byte[] value, long sourceOffset) {
            RecordHeaders headers = new RecordHeaders();
            if (value != null && sourceOffset >= 0) {
                headers.add(SOURCE_OFFSET_HEADER, ByteBuffer.allocate(8).putLong(sourceOffset).array());
            }
            sink.accept(new ProducerRecord<>(changelogTopic, partition, null,
                    key.getBytes(StandardCharsets.UTF_8), value, headers));
        }

        @Override
        public void deadLetter(int sourcePartition, long sourceOffset, byte[] key, byte[] value,
                               DeadLetterReason reason, String detail) {
            ConsumerRecord<byte[], byte[]> original = current != null && current.partition() == sourcePartition
                    && current.offset() == sourceOffset
                    ? current
                    : new ConsumerRecord<>(inputTopic, sourcePartition, sourceOffset, key, value);
            sink.accept(DeadLetters.of(original, deadLetterTopic, reason, detail, service));
        }
    }
}
