package org.o1pruner.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client properties of the exactly-once hop, in one pure place: a read_committed consumer with
 * auto-commit off, an idempotent transactional producer, and a group-less restore consumer.
 * Overrides apply on top, except the settings exactly-once depends on.
 */
public final class KafkaClientProps {
    private KafkaClientProps() {}

    public static Map<String, Object> consumer(LoopOptions o) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, o.transactionalId() + "-consumer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.maxPollRecords());
        p.putAll(o.consumerOverrides());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, o.groupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    public static Map<String, Object> producer(LoopOptions o) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, o.transactionalId() + "-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(o.producerOverrides());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, o.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** For {@link StateRestorer}: no group, nothing committed, committed records only. */
    public static Map<String, Object> restoreConsumer(LoopOptions o) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, o.transactionalId() + "-restore");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }
}
