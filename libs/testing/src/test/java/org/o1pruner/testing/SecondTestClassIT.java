package org.o1pruner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second test class on the shared cluster: it must get the same broker, not a second one. */
@ExtendWith(KafkaExtension.class)
class SecondTestClassIT {
    private static KafkaCluster kafka;

    @BeforeAll
    static void resolveInLifecycleMethod(KafkaCluster cluster) {
        kafka = cluster;
    }

    @Test
    void getsTheSameClusterAsTheOtherClasses() {
        SharedClusterWitness.record(getClass(), kafka);
    }

    @Test
    void topicsOfThisClassAreUsable() throws Exception {
        String topic = KafkaScenarios.uniqueTopic("second");
        kafka.createTopics(Map.of(topic, 3));
        try (var producer = KafkaScenarios.producer(kafka.bootstrapServers(), null)) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", "v")).get();
        }
        assertEquals(List.of("v"), KafkaScenarios.readAll(kafka.bootstrapServers(), topic, "read_committed", 1));
    }
}
