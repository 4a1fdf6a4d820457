package org.o1pruner.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test a {@link KafkaCluster} parameter (constructor, lifecycle or
 * test method). The cluster is {@link KafkaClusters#shared()}, started once per test JVM and held
 * in the root extension-context store, so it is closed once, after the last test class.
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class MyIT {
 *     @Test void roundTrip(KafkaCluster kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    static {
        QuietLogging.apply();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(SharedHandle.class, k -> new SharedHandle(KafkaClusters.shared()), SharedHandle.class)
                    .cluster;
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("could not start the shared Kafka cluster: " + e.getMessage(), e);
        }
    }

    /** Held in the root store; JUnit closes it when the root context (the whole run) ends. */
    private static final class SharedHandle implements AutoCloseable {
        private final KafkaCluster cluster;

        SharedHandle(KafkaCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            KafkaClusters.closeShared();
        }
    }
}
