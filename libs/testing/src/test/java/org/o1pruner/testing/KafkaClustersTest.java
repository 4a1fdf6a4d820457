package org.o1pruner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClustersTest {

    @Test
    void externalBootstrapWinsAndDockerIsNotAsked() {
        assertEquals(KafkaClusters.Kind.EXTERNAL, KafkaClusters.choose(Map.of("KAFKA_BOOTSTRAP", "h:9092"),
                () -> { throw new AssertionError("docker probed"); }));
    }

    @Test
    void dockerThenEmbedded() {
        assertEquals(KafkaClusters.Kind.CONTAINER, KafkaClusters.choose(Map.of(), () -> true));
        assertEquals(KafkaClusters.Kind.EMBEDDED, KafkaClusters.choose(Map.of(), () -> false));
        assertEquals(KafkaClusters.Kind.EMBEDDED, KafkaClusters.choose(Map.of("KAFKA_BOOTSTRAP", "  "), () -> false));
    }

    @Test
    void dockerHints(@TempDir Path home) {
        assertTrue(KafkaClusters.dockerHintPresent(Map.of("DOCKER_HOST", "tcp://x:2375"), home));
        // this test machine has no Docker socket at the standard place
        if (!java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))) {
            assertFalse(KafkaClusters.dockerHintPresent(Map.of(), home));
        }
    }

    @Test
    void brokerPropertiesSetSingleNodeReplicationAndNoRebalanceDelay(@TempDir Path dir) {
        Map<String, String> p = EmbeddedKafkaBroker.brokerProperties(
                EmbeddedKafkaBroker.Options.defaults().withBrokerProperties(Map.of("num.partitions", "3")), dir, 9092, 9093);
        assertEquals("1", p.get("offsets.topic.replication.factor"));
        assertEquals("1", p.get("transaction.state.log.replication.factor"));
        assertEquals("1", p.get("transaction.state.log.min.isr"));
        assertEquals("1", p.get("share.coordinator.state.topic.replication.factor"));
        assertEquals("0", p.get("group.initial.rebalance.delay.ms"));
        assertEquals("broker,controller", p.get("process.roles"));
        assertEquals("1@127.0.0.1:9093", p.get("controller.quorum.voters"));
        assertEquals("3", p.get("num.partitions"), "extra properties override");
    }

    @Test
    void optionsAreValidated() {
        var d = EmbeddedKafkaBroker.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> d.withPort(9092).withControllerPort(9092));
        assertThrows(IllegalArgumentException.class, () -> d.withInternalTopicPartitions(0));
        assertEquals(Optional.empty(), d.dataDir());
    }

    @Test
    void externalClusterRejectsBlankBootstrap() {
        assertThrows(IllegalArgumentException.class, () -> new ExternalKafkaCluster(" "));
    }
}
