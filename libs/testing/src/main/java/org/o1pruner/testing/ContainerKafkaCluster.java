package org.o1pruner.testing;

import java.util.Map;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a Docker container (Testcontainers, the {@code apache/kafka} image), used for
 * integration tests where a Docker daemon is available. Configured like {@link EmbeddedKafkaBroker}:
 * no topic auto-creation and no initial rebalance delay.
 */
public final class ContainerKafkaCluster implements KafkaCluster {
    /** The image, overridable with the system property {@code o1p.kafka.image}. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private ContainerKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    /** Pulls (if needed) and starts the container; blocks until the broker is ready. */
    public static ContainerKafkaCluster start() {
        QuietLogging.apply();
        String image = System.getProperty("o1p.kafka.image", DEFAULT_IMAGE);
        KafkaContainer container = newContainer(image);
        container.start();
        return new ContainerKafkaCluster(container);
    }

    /**
     * A configured, not yet started container: tests that manage the lifecycle themselves
     * (Testcontainers' {@code @Container}) use this so they match the shared cluster's settings.
     */
    @SuppressWarnings("resource")
    public static KafkaContainer newContainer(String image) {
        return new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicAdmin.createTopic(bootstrapServers(), name, partitions, configs);
    }

    @Override
    public String description() {
        return "Testcontainers Kafka (" + container.getDockerImageName() + ") at " + bootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
