package org.o1pruner.testing;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker checks of {@link EmbeddedKafkaBrokerIT} against Testcontainers' Kafka. Skipped
 * cleanly where no Docker daemon exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaIT {
    @Container
    static final KafkaContainer KAFKA = ContainerKafkaCluster.newContainer(
            System.getProperty("o1p.kafka.image", ContainerKafkaCluster.DEFAULT_IMAGE));

    private static KafkaCluster cluster() {
        return new ExternalKafkaCluster(KAFKA.getBootstrapServers());
    }

    @Test
    void producesAndConsumes() throws Exception {
        KafkaScenarios.roundTrip(cluster(), 50);
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions() throws Exception {
        KafkaScenarios.transactions(cluster());
    }

    @Test
    void createsTopics() {
        cluster().createTopic(KafkaScenarios.uniqueTopic("tc"), 2, Map.of());
    }
}
