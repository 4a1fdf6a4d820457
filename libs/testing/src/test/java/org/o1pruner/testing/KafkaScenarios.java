package org.o1pruner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Broker checks shared by the embedded-broker and the Testcontainers ITs: same logic, any cluster. */
final class KafkaScenarios {
    private KafkaScenarios() {}

    static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Produces n records, reads them back in order from a fresh consumer group. */
    static void roundTrip(KafkaCluster kafka, int n) throws Exception {
        String topic = uniqueTopic("round-trip");
        kafka.createTopic(topic, 1, Map.of());
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers(), null)) {
            for (int i = 0; i < n; i++) {
                String v = "value-" + i;
                producer.send(new ProducerRecord<>(topic, "k" + i, v)).get();
                sent.add(v);
            }
        }
        assertEquals(sent, readAll(kafka.bootstrapServers(), topic, "read_uncommitted", n));
    }

    /**
     * Writes a committed transaction, an aborted one, and a second committed one; a
     * read_committed consumer sees exactly the committed records, a read_uncommitted one all.
     */
    static void transactions(KafkaCluster kafka) throws Exception {
        String topic = uniqueTopic("txn");
        kafka.createTopic(topic, 1, Map.of());
        try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers(), "txn-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "a", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-3"));
            producer.commitTransaction();
        }
        assertEquals(List.of("committed-1", "committed-2", "committed-3"),
                readAll(kafka.bootstrapServers(), topic, "read_committed", 3));
        assertEquals(List.of("committed-1", "committed-2", "aborted-1", "committed-3"),
                readAll(kafka.bootstrapServers(), topic, "read_uncommitted", 4));
    }

    static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads from the beginning until {@code expected} records arrived and one more poll brings
     * nothing new (so extra records would be seen), or 30 s passed.
     */
    static List<String> readAll(String bootstrap, String topic, String isolation, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                int before = out.size();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (out.size() >= expected && out.size() == before) {
                    break;
                }
            }
        }
        return out;
    }
}
