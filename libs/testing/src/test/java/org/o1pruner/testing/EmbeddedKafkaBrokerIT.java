package org.o1pruner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shared cluster (embedded here, without Docker or KAFKA_BOOTSTRAP) does what services need. */
@ExtendWith(KafkaExtension.class)
class EmbeddedKafkaBrokerIT {

    @Test
    void producesAndConsumes(KafkaCluster kafka) throws Exception {
        KafkaScenarios.roundTrip(kafka, 50);
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions(KafkaCluster kafka) throws Exception {
        KafkaScenarios.transactions(kafka);
    }

    @Test
    void sharesOneClusterAcrossTestClasses(KafkaCluster kafka) {
        SharedClusterWitness.record(getClass(), kafka);
    }

    @Test
    void creatingAnExistingTopicIsIdempotentButAPartitionMismatchIsNot(KafkaCluster kafka) {
        String topic = KafkaScenarios.uniqueTopic("twice");
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topic, 2, Map.of());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> kafka.createTopic(topic, 3, Map.of()));
        assertTrue(e.getMessage().contains("exists with 2 partitions"), e.getMessage());
    }

    /** A broker with a kept data directory restarts on it with its records (the default run's mode). */
    @Test
    void restartsOnAKeptDataDirectoryWithItsRecords(@TempDir Path dir) throws Exception {
        String topic = "kept";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withDataDir(dir))) {
            broker.createTopic(topic, 1, Map.of());
            try (var producer = KafkaScenarios.producer(broker.bootstrapServers(), null)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", "survives")).get();
            }
        }
        assertTrue(Files.exists(dir.resolve("metadata").resolve("meta.properties")), "kept dir is formatted");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withDataDir(dir))) {
            assertEquals(List.of("survives"), KafkaScenarios.readAll(broker.bootstrapServers(), topic, "read_committed", 1));
        }
        assertTrue(Files.exists(dir), "a given data directory is not deleted");
    }

    @Test
    void deletesItsTemporaryDataDirectoryOnClose() {
        Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            dir = broker.dataDir();
            assertTrue(Files.isDirectory(dir));
            System.out.println("standalone embedded broker start-up: " + broker.startupTime().toMillis() + " ms");
        }
        assertFalse(Files.exists(dir));
    }
}
