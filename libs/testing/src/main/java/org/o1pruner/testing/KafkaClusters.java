package org.o1pruner.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks and holds the one Kafka cluster an integration-test JVM shares: an external broker when
 * {@code KAFKA_BOOTSTRAP} is set, else a Testcontainers broker when a Docker daemon answers, else
 * the in-process {@link EmbeddedKafkaBroker}. Starting a broker costs seconds, so every test class
 * reuses the same one through {@link KafkaExtension}.
 */
public final class KafkaClusters {
    /** The environment variable naming an external cluster's bootstrap servers. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusters.class);
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static KafkaCluster shared;

    static {
        QuietLogging.apply();
    }

    /** Which kind of cluster {@link #shared()} provides. */
    public enum Kind { EXTERNAL, CONTAINER, EMBEDDED }

    private KafkaClusters() {}

    /**
     * The decision, without side effects: {@code KAFKA_BOOTSTRAP} (non-blank) wins, then Docker,
     * then the embedded broker. {@code dockerAvailable} is only asked when no external cluster is set.
     */
    public static Kind choose(Map<String, String> env, BooleanSupplier dockerAvailable) {
        String bootstrap = env.get(BOOTSTRAP_ENV);
        if (bootstrap != null && !bootstrap.isBlank()) {
            return Kind.EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? Kind.CONTAINER : Kind.EMBEDDED;
    }

    /** The JVM-wide shared cluster, started on first use. */
    public static synchronized KafkaCluster shared() {
        if (shared == null) {
            Map<String, String> env = System.getenv();
            Kind kind = choose(env, KafkaClusters::dockerAvailable);
            long t0 = System.nanoTime();
            shared = switch (kind) {
                case EXTERNAL -> new ExternalKafkaCluster(env.get(BOOTSTRAP_ENV));
                case CONTAINER -> ContainerKafkaCluster.start();
                case EMBEDDED -> EmbeddedKafkaBroker.start();
            };
            STARTED.incrementAndGet();
            LOG.warn("Shared test Kafka: {} (ready in {} ms)", shared.description(), (System.nanoTime() - t0) / 1_000_000);
        }
        return shared;
    }

    /** Closes the shared cluster, if any; a later {@link #shared()} starts a fresh one. */
    public static synchronized void closeShared() {
        if (shared != null) {
            try {
                shared.close();
            } finally {
                shared = null;
            }
        }
    }

    /** How many shared clusters this JVM has started (tests assert it stays 1). */
    public static int startedCount() {
        return STARTED.get();
    }

    /**
     * Whether a Docker daemon answers. Asks Testcontainers only where a daemon could plausibly be
     * (a {@code DOCKER_HOST}, a Docker socket, or a Testcontainers config file), so that machines
     * without Docker neither wait for nor log Testcontainers' failed environment probes.
     */
    public static boolean dockerAvailable() {
        if (!dockerHintPresent(System.getenv(), Path.of(System.getProperty("user.home", "/")))) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            LOG.debug("Docker probe failed: {}", t.toString());
            return false;
        }
    }

    static boolean dockerHintPresent(Map<String, String> env, Path home) {
        if (env.get("DOCKER_HOST") != null && !env.get("DOCKER_HOST").isBlank()) {
            return true;
        }
        if (Files.exists(Path.of("/var/run/docker.sock")) || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"))) {
            return true;
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        return xdg != null && Files.exists(Path.of(xdg, "docker.sock"));
    }
}
