package org.o1pruner.runtime;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one topic partition from its beginning to its current end, committed records only
 * (read_committed: aborted changelog writes never come back). Given to
 * {@link StreamProcessor#onAssigned} so a processor can rebuild its state from a compacted
 * changelog (or from its input) before it sees new records.
 */
@FunctionalInterface
public interface StateRestorer {
    /**
     * @return how many records were handed to {@code sink}
     * @throws RetriableProcessingException if the end is not reached within the restore timeout
     */
    long restore(TopicPartition partition, Consumer<ConsumerRecord<byte[], byte[]>> sink);
}
