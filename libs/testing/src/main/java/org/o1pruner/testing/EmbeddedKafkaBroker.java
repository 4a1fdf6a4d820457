package org.o1pruner.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller roles) running inside
 * this JVM from the Maven Central broker jars. Integration tests get one per JVM through
 * {@link KafkaExtension}; the one-JVM default run ({@code o1p broker}, the launcher) starts one on
 * a fixed port. Internal topics (consumer offsets, transaction state, share-group state) have
 * replication factor 1 so that transactions and consumer groups work on a single node, and the
 * initial rebalance delay is zero so tests do not wait for groups to settle.
 *
 * <p>Topic auto-creation is off: services create their topics explicitly, as they must on a
 * production cluster.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS = 3;

    static {
        QuietLogging.apply();
    }

    /**
     * How to start the broker. {@code port} 0 picks a free ephemeral port (tests); a fixed port
     * is for the default run. Without {@code dataDir} the broker uses a temporary directory that
     * {@link #close()} deletes; a given directory is kept, and re-used (already formatted) on the
     * next start.
     */
    public record Options(String host, int port, int controllerPort, Optional<Path> dataDir,
                          int internalTopicPartitions, Map<String, String> brokerProperties,
                          Duration startTimeout) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (controllerPort < 0 || controllerPort > 65535) {
                throw new IllegalArgumentException("controllerPort must be 0..65535, got " + controllerPort);
            }
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both " + port);
            }
            if (internalTopicPartitions < 1) {
                throw new IllegalArgumentException("internalTopicPartitions must be >= 1, got " + internalTopicPartitions);
            }
            brokerProperties = Map.copyOf(brokerProperties);
        }

        /** Loopback, ephemeral ports, a temporary data directory, 4 partitions per internal topic. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, 0, Optional.empty(), 4, Map.of(), Duration.ofSeconds(60));
        }

        public Options withHost(String newHost) {
            return new Options(newHost, port, controllerPort, dataDir, internalTopicPartitions, brokerProperties, startTimeout);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, controllerPort, dataDir, internalTopicPartitions, brokerProperties, startTimeout);
        }

        public Options withControllerPort(int newPort) {
            return new Options(host, port, newPort, dataDir, internalTopicPartitions, brokerProperties, startTimeout);
        }

        public Options withDataDir(Path dir) {
            return new Options(host, port, controllerPort, Optional.of(dir), internalTopicPartitions, brokerProperties, startTimeout);
        }

        public Options withInternalTopicPartitions(int n) {
            return new Options(host, port, controllerPort, dataDir, n, brokerProperties, startTimeout);
        }

        /** Extra broker properties; they override the ones this class sets. */
        public Options withBrokerProperties(Map<String, String> extra) {
            return new Options(host, port, controllerPort, dataDir, internalTopicPartitions, extra, startTimeout);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(host, port, controllerPort, dataDir, internalTopicPartitions, brokerProperties, timeout);
        }
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final Duration startupTime;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteOnClose,
                                String bootstrapServers, Duration startupTime) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.bootstrapServers = bootstrapServers;
        this.startupTime = startupTime;
    }

    /** Starts a broker with {@link Options#defaults()}. */
    public static EmbeddedKafkaBroker start() {
        return start(Options.defaults());
    }

    /**
     * Formats the storage (unless already formatted), starts the broker and waits until it
     * answers a metadata request. Ephemeral ports are chosen just before start-up; if another
     * process grabs one in between, start-up is retried on fresh ports.
     *
     * @throws IllegalStateException if the broker does not come up within the start timeout
     */
    public static EmbeddedKafkaBroker start(Options options) {
        long t0 = System.nanoTime();
        boolean temp = options.dataDir().isEmpty();
        Path dir;
        try {
            dir = temp ? Files.createTempDirectory("o1p-kafka-") : Files.createDirectories(options.dataDir().get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory", e);
        }
        boolean ephemeral = options.port() == 0 || options.controllerPort() == 0;
        int attempts = ephemeral ? START_ATTEMPTS : 1;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = options.port() != 0 ? options.port() : freePort(options.host());
            int controllerPort = options.controllerPort() != 0 ? options.controllerPort() : freePort(options.host());
            while (controllerPort == port) {
                controllerPort = freePort(options.host());
            }
            KafkaRaftServer server = null;
            try {
                Map<String, String> props = brokerProperties(options, dir, port, controllerPort);
                KafkaConfig config = new KafkaConfig(props, false);
                formatIfNeeded(dir, config);
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                String bootstrap = options.host() + ":" + port;
                awaitReady(bootstrap, options.startTimeout());
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                LOG.info("Embedded Kafka broker up at {} in {} ms (data {})", bootstrap, took.toMillis(), dir);
                return new EmbeddedKafkaBroker(server, dir, temp, bootstrap, took);
            } catch (RuntimeException e) {
                last = e;
                if (server != null) {
                    stopQuietly(server);
                }
                LOG.warn("Embedded Kafka broker start attempt {}/{} failed: {}", attempt, attempts, e.toString());
            }
        }
        if (temp) {
            deleteRecursively(dir);
        }
        throw new IllegalStateException("embedded Kafka broker did not start after " + attempts + " attempt(s)", last);
    }

    static Map<String, String> brokerProperties(Options o, Path dir, int port, int controllerPort) {
        String rf = "1";
        String parts = Integer.toString(o.internalTopicPartitions());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + o.host() + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + o.host() + ":" + port + "," + CONTROLLER_LISTENER + "://" + o.host() + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + o.host() + ":" + port);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("metadata.log.dir", dir.resolve("metadata").toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", parts);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", parts);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", parts);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.putAll(o.brokerProperties());
        return p;
    }

    private static void formatIfNeeded(Path dir, KafkaConfig config) {
        if (Files.exists(dir.resolve("metadata").resolve("meta.properties"))) {
            return;
        }
        try (PrintStream devNull = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(devNull)
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.resolve("logs").toString(), dir.resolve("metadata").toString()))
                    .setMetadataLogDirectory(dir.resolve("metadata").toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the broker", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(50);
            }
        }
        throw new IllegalStateException("broker at " + bootstrap + " not ready within " + timeout, last);
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka broker shutdown after a failed start also failed: {}", e.toString());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete broker data directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicAdmin.createTopic(bootstrapServers, name, partitions, new HashMap<>(configs));
    }

    @Override
    public String description() {
        return "embedded KRaft broker at " + bootstrapServers;
    }

    /** The broker's data directory (logs and metadata). */
    public Path dataDir() {
        return dataDir;
    }

    /** How long {@link #start(Options)} took, formatting and readiness wait included. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Shuts the broker down and waits for it; deletes the data directory if it was temporary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }
}
