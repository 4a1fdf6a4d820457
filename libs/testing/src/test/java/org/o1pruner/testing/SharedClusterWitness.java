package org.o1pruner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, per test class, the cluster the extension injected; whichever class runs later checks
 * that it got the very same instance and that the JVM started exactly one shared cluster.
 */
final class SharedClusterWitness {
    private static final Map<Class<?>, KafkaCluster> SEEN = new ConcurrentHashMap<>();

    private SharedClusterWitness() {}

    static void record(Class<?> testClass, KafkaCluster cluster) {
        SEEN.put(testClass, cluster);
        for (KafkaCluster other : SEEN.values()) {
            assertSame(other, cluster, "every test class gets the same cluster instance");
        }
        assertSame(KafkaClusters.shared(), cluster);
        assertEquals(1, KafkaClusters.startedCount(), "one shared cluster per JVM");
    }

    static int classesSeen() {
        return SEEN.size();
    }
}
