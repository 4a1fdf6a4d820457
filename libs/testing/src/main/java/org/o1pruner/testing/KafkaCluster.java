package org.o1pruner.testing;

import java.util.Map;

/**
 * A Kafka cluster that clients can talk to: the in-process {@link EmbeddedKafkaBroker}, a
 * Testcontainers broker, or an external one named by {@code KAFKA_BOOTSTRAP}. Tests and the
 * default run see only this interface, so the same code runs against all three.
 */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:39092}. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 (or the cluster's default where it has more
     * brokers) and the given topic configs; waits until it exists. Creating a topic that already
     * exists with the same partition count is a no-op; a different partition count is an error.
     */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** Creates each topic with its partition count and no extra configs. */
    default void createTopics(Map<String, Integer> partitionsByTopic) {
        partitionsByTopic.forEach((name, partitions) -> createTopic(name, partitions, Map.of()));
    }

    /** A short human-readable description (kind and address) for logs and reports. */
    String description();

    /** Stops the cluster if this process owns it; a no-op for an external cluster. */
    @Override
    void close();
}
