package org.o1pruner.runtime;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where a {@link StreamProcessor} sends output: any topic (and, for co-partitioned changelogs,
 * an explicit partition), always inside the loop's current transaction. Records emitted while
 * processing one input record are only handed to the producer once that record's processing
 * returns normally, so a rejected record leaves no partial output behind.
 */
@FunctionalInterface
public interface Emitter {
    void send(ProducerRecord<byte[], byte[]> record);

    default void send(String topic, byte[] key, byte[] value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    /** To one partition: a changelog co-partitioned with the input writes partition p for input p. */
    default void send(String topic, int partition, byte[] key, byte[] value) {
        send(new ProducerRecord<>(topic, partition, key, value));
    }
}
