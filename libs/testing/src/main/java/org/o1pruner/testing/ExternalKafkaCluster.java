package org.o1pruner.testing;

import java.util.Map;
import java.util.Objects;

/**
 * A broker this process does not own, named by its bootstrap servers (the {@code KAFKA_BOOTSTRAP}
 * environment variable in tests, e.g. a Strimzi cluster in CI). {@link #close()} leaves it running.
 */
public final class ExternalKafkaCluster implements KafkaCluster {
    private final String bootstrapServers;

    public ExternalKafkaCluster(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        this.bootstrapServers = bootstrapServers.strip();
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicAdmin.createTopic(bootstrapServers, name, partitions, configs);
    }

    @Override
    public String description() {
        return "external Kafka at " + bootstrapServers;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
