package org.o1pruner.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Keys every service shares: where Kafka is, who this instance is, its HTTP port and the
 * transactional loop's knobs. A service registers {@link #KEYS} next to its own keys.
 */
public final class CommonConfig {
    /** A properties file with more settings (lower precedence than the environment). */
    public static final ConfigKey<Path> CONFIG_FILE = ConfigKey.optional("O1P_CONFIG_FILE", "path",
            Parsers::path, "properties file with O1P_* settings; environment variables override it");

    public static final ConfigKey<List<String>> KAFKA_BOOTSTRAP = ConfigKey.required("O1P_KAFKA_BOOTSTRAP",
            "host:port,...", Parsers::hostPorts, "Kafka bootstrap servers");

    public static final ConfigKey<String> RUN_ID = ConfigKey.withDefault("O1P_RUN_ID", "string",
            Parsers::nonBlank, "default", "training run id: metric tag run_id and checkpoint key");

    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.withDefault("O1P_INSTANCE_ID", "string",
            Parsers::nonBlank, "0", "stable id of this replica (e.g. the StatefulSet pod name); part of the transactional id");

    public static final ConfigKey<String> HTTP_HOST = ConfigKey.withDefault("O1P_HTTP_HOST", "host",
            Parsers::nonBlank, "0.0.0.0", "address the /health, /ready and /metrics server binds");

    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.withDefault("O1P_HTTP_PORT", "int 0..65535",
            Parsers.intIn(0, 65535), "8080", "port of the /health, /ready and /metrics server (0 = ephemeral)");

    public static final ConfigKey<String> TRANSACTIONAL_ID_PREFIX = ConfigKey.withDefault("O1P_TRANSACTIONAL_ID_PREFIX",
            "string", Parsers::nonBlank, "o1p", "prefix of transactional ids: <prefix>-<service>-<instance>");

    public static final ConfigKey<String> CONSUMER_GROUP = ConfigKey.optional("O1P_CONSUMER_GROUP", "string",
            Parsers::nonBlank, "consumer group id (default o1p-<service>)");

    public static final ConfigKey<Duration> POLL_TIMEOUT = ConfigKey.withDefault("O1P_POLL_TIMEOUT", "duration",
            Parsers::duration, "500ms", "longest wait of one consumer poll");

    public static final ConfigKey<Integer> MAX_POLL_RECORDS = ConfigKey.withDefault("O1P_MAX_POLL_RECORDS",
            "int 1..100000", Parsers.intIn(1, 100_000), "500", "records per poll, i.e. per transaction at most");

    public static final ConfigKey<Duration> FLUSH_INTERVAL = ConfigKey.withDefault("O1P_FLUSH_INTERVAL", "duration",
            Parsers::duration, "1s", "how often the loop punctuates (timeouts) and commits time-driven output");

    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.withDefault("O1P_SHUTDOWN_TIMEOUT",
            "duration", Parsers::duration, "30s", "time to finish the open transaction and close clients on SIGTERM");

    public static final ConfigKey<Integer> MAX_CONSECUTIVE_FAILURES = ConfigKey.withDefault(
            "O1P_MAX_CONSECUTIVE_FAILURES", "int 1..1000000", Parsers.intIn(1, 1_000_000), "20",
            "retriable failures in a row after which the loop gives up (fatal)");

    /** Every common key, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(CONFIG_FILE, KAFKA_BOOTSTRAP, RUN_ID, INSTANCE_ID,
            HTTP_HOST, HTTP_PORT, TRANSACTIONAL_ID_PREFIX, CONSUMER_GROUP, POLL_TIMEOUT, MAX_POLL_RECORDS,
            FLUSH_INTERVAL, SHUTDOWN_TIMEOUT, MAX_CONSECUTIVE_FAILURES);

    private CommonConfig() {}

    /** A registry with the common keys, ready for a service's own. */
    public static ConfigRegistry registry(String service) {
        return ConfigRegistry.of(service, KEYS);
    }

    /** {@code KAFKA_BOOTSTRAP} as the comma-joined string clients want. */
    public static String bootstrapServers(Config config) {
        return String.join(",", config.get(KAFKA_BOOTSTRAP));
    }

    /** The consumer group: {@code O1P_CONSUMER_GROUP} or {@code o1p-<service>}. */
    public static String consumerGroup(Config config) {
        return config.find(CONSUMER_GROUP).orElse("o1p-" + config.service());
    }

    /** {@code <prefix>-<service>-<instance>}: stable per replica, so a restart fences its predecessor. */
    public static String transactionalId(Config config) {
        return config.get(TRANSACTIONAL_ID_PREFIX) + "-" + config.service() + "-" + config.get(INSTANCE_ID);
    }
}
