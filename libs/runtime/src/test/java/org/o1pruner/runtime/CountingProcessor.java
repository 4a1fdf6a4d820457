package org.o1pruner.runtime;

import static org.o1pruner.runtime.TestClients.str;
import static org.o1pruner.runtime.TestClients.utf8;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A stateful test processor shaped like the reward service: per key it counts the records seen
 * and emits {@code key:n}; the counts live in memory and in a compacted changelog co-partitioned
 * with the input, restored on assignment. Any lost, duplicated or leaked state shows up as a gap
 * or a repeat in the per-key sequence 1, 2, 3, ... of the output.
 */
final class CountingProcessor implements StreamProcessor {
    final String outTopic;
    final String changelog;
    final Map<Integer, Map<String, Long>> counts = new HashMap<>();
    final AtomicInteger aborts = new AtomicInteger();
    final AtomicInteger restores = new AtomicInteger();
    final AtomicInteger processed = new AtomicInteger();
    private final Predicate<ConsumerRecord<byte[], byte[]>> failOnce;
    private final long delayMs;
    private boolean failed;

    CountingProcessor(String outTopic, String changelog, Predicate<ConsumerRecord<byte[], byte[]>> failOnce, long delayMs) {
        this.outTopic = outTopic;
        this.changelog = changelog;
        this.failOnce = failOnce;
        this.delayMs = delayMs;
    }

    @Override
    public void process(ConsumerRecord<byte[], byte[]> record, Emitter out) {
        if (!failed && failOnce.test(record)) {
            failed = true;
            throw new RetriableProcessingException("injected transient failure at offset " + record.offset());
        }
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String key = str(record.key());
        long n = counts.computeIfAbsent(record.partition(), p -> new HashMap<>()).merge(key, 1L, Long::sum);
        out.send(outTopic, record.key(), utf8(key + ":" + n));
        out.send(changelog, record.partition(), record.key(), utf8(Long.toString(n)));
        processed.incrementAndGet();
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions, StateRestorer restorer) {
        for (TopicPartition tp : partitions) {
            Map<String, Long> state = new HashMap<>();
            restorer.restore(new TopicPartition(changelog, tp.partition()),
                    r -> state.put(str(r.key()), Long.parseLong(str(r.value()))));
            counts.put(tp.partition(), state);
            restores.incrementAndGet();
        }
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> counts.remove(tp.partition()));
    }

    @Override
    public void onAbort() {
        aborts.incrementAndGet();
        counts.clear();
    }
}
