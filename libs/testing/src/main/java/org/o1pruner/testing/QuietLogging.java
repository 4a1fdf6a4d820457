package org.o1pruner.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the Kafka broker's and Testcontainers' chatter down for slf4j-simple, the project's one
 * logging backend. Only sets properties nobody set before, and only has an effect if it runs
 * before slf4j-simple creates those loggers, so it runs from a JUnit launcher-session listener
 * and from static initialisers. Where no Docker daemon can exist, Testcontainers' failed
 * environment probe (an ERROR with a stack of attempted strategies) is silenced: a skipped
 * {@code @Testcontainers(disabledWithoutDocker = true)} test is then just a skip.
 */
public final class QuietLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";

    private QuietLogging() {}

    static Map<String, String> levels(boolean dockerHint) {
        Map<String, String> levels = new LinkedHashMap<>();
        levels.put("kafka", "warn");
        levels.put("org.apache.kafka", "warn");
        levels.put("state.change.logger", "warn");
        // "Performing controller activation" is logged at WARN on every fresh start
        levels.put("org.apache.kafka.controller.QuorumController", "error");
        // connection refused while a broker starts or stops is expected in tests
        levels.put("org.apache.kafka.clients.NetworkClient", "error");
        levels.put("org.testcontainers", "warn");
        levels.put("tc", "warn");
        levels.put("com.github.dockerjava", "warn");
        if (!dockerHint) {
            levels.put("org.testcontainers.dockerclient", "off");
            levels.put("org.testcontainers.DockerClientFactory", "off");
        }
        return levels;
    }

    /** Sets each quiet level unless the system property is already set. */
    public static void apply() {
        boolean dockerHint = KafkaClusters.dockerHintPresent(System.getenv(), Path.of(System.getProperty("user.home", "/")));
        levels(dockerHint).forEach((logger, level) -> {
            if (System.getProperty(PREFIX + logger) == null) {
                System.setProperty(PREFIX + logger, level);
            }
        });
    }
}
