package org.o1pruner.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.o1pruner.schema.Topics;

/**
 * Everything a {@link TransactionalLoop} needs, validated in {@link Builder#build()}. Build it
 * from a service's {@link Config} with {@link #fromConfig}, or by hand in tests.
 */
public record LoopOptions(
        String service,
        String bootstrapServers,
        String groupId,
        String transactionalId,
        List<String> inputTopics,
        String deadLetterTopic,
        Duration pollTimeout,
        int maxPollRecords,
        Duration flushInterval,
        int maxConsecutiveFailures,
        Duration retryBackoff,
        Duration restoreTimeout,
        Duration shutdownTimeout,
        Clock clock,
        MeterRegistry meterRegistry,
        Map<String, Object> consumerOverrides,
        Map<String, Object> producerOverrides) {

    public LoopOptions {
        inputTopics = List.copyOf(inputTopics);
        consumerOverrides = Map.copyOf(consumerOverrides);
        producerOverrides = Map.copyOf(producerOverrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options from the common keys of a loaded config; the service names its input topics. */
    public static Builder fromConfig(Config config, List<String> inputTopics) {
        return builder()
                .setService(config.service())
                .setBootstrapServers(CommonConfig.bootstrapServers(config))
                .setGroupId(CommonConfig.consumerGroup(config))
                .setTransactionalId(CommonConfig.transactionalId(config))
                .setInputTopics(inputTopics)
                .optPollTimeout(config.get(CommonConfig.POLL_TIMEOUT))
                .optMaxPollRecords(config.get(CommonConfig.MAX_POLL_RECORDS))
                .optFlushInterval(config.get(CommonConfig.FLUSH_INTERVAL))
                .optMaxConsecutiveFailures(config.get(CommonConfig.MAX_CONSECUTIVE_FAILURES))
                .optShutdownTimeout(config.get(CommonConfig.SHUTDOWN_TIMEOUT));
    }

    /** {@code setX} are required, {@code optX} have defaults. */
    public static final class Builder {
        private String service;
        private String bootstrapServers;
        private String groupId;
        private String transactionalId;
        private List<String> inputTopics;
        private String deadLetterTopic = Topics.DEAD_LETTER;
        private Duration pollTimeout = Duration.ofMillis(500);
        private int maxPollRecords = 500;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int maxConsecutiveFailures = 20;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration restoreTimeout = Duration.ofMinutes(5);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private Map<String, Object> consumerOverrides = Map.of();
        private Map<String, Object> producerOverrides = Map.of();

        private Builder() {}

        public Builder setService(String v) { service = v; return this; }
        public Builder setBootstrapServers(String v) { bootstrapServers = v; return this; }
        public Builder setGroupId(String v) { groupId = v; return this; }
        public Builder setTransactionalId(String v) { transactionalId = v; return this; }
        public Builder setInputTopics(List<String> v) { inputTopics = v; return this; }
        public Builder optDeadLetterTopic(String v) { deadLetterTopic = v; return this; }
        public Builder optPollTimeout(Duration v) { pollTimeout = v; return this; }
        public Builder optMaxPollRecords(int v) { maxPollRecords = v; return this; }
        /** How often {@link StreamProcessor#punctuate} runs (and its output is committed). */
        public Builder optFlushInterval(Duration v) { flushInterval = v; return this; }
        public Builder optMaxConsecutiveFailures(int v) { maxConsecutiveFailures = v; return this; }
        /** First back-off after a retriable failure; doubles per consecutive failure, at most 50x. */
        public Builder optRetryBackoff(Duration v) { retryBackoff = v; return this; }
        public Builder optRestoreTimeout(Duration v) { restoreTimeout = v; return this; }
        /** What {@link TransactionalLoop#close()} allows the loop to finish its batch and close. */
        public Builder optShutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder optClock(Clock v) { clock = v; return this; }
        public Builder optMeterRegistry(MeterRegistry v) { meterRegistry = v; return this; }
        /** Extra consumer properties (override the loop's, except isolation and auto-commit). */
        public Builder optConsumerOverrides(Map<String, Object> v) { consumerOverrides = v; return this; }
        /** Extra producer properties (override the loop's, except transactional id and idempotence). */
        public Builder optProducerOverrides(Map<String, Object> v) { producerOverrides = v; return this; }

        public LoopOptions build() {
            require(service, "service");
            require(bootstrapServers, "bootstrapServers");
            require(groupId, "groupId");
            require(transactionalId, "transactionalId");
            Objects.requireNonNull(inputTopics, "inputTopics");
            if (inputTopics.isEmpty() || inputTopics.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new IllegalArgumentException("inputTopics must be non-empty topic names: " + inputTopics);
            }
            require(deadLetterTopic, "deadLetterTopic");
            positive(pollTimeout, "pollTimeout");
            positive(flushInterval, "flushInterval");
            positive(restoreTimeout, "restoreTimeout");
            positive(shutdownTimeout, "shutdownTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (retryBackoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must not be negative");
            }
            if (maxPollRecords < 1) {
                throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
            }
            if (maxConsecutiveFailures < 1) {
                throw new IllegalArgumentException("maxConsecutiveFailures must be >= 1, got " + maxConsecutiveFailures);
            }
            Objects.requireNonNull(clock, "clock");
            return new LoopOptions(service, bootstrapServers, groupId, transactionalId, inputTopics, deadLetterTopic,
                    pollTimeout, maxPollRecords, flushInterval, maxConsecutiveFailures, retryBackoff, restoreTimeout,
                    shutdownTimeout, clock, meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(),
                    consumerOverrides, producerOverrides);
        }

        private static void require(String v, String name) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
        }
    }
}
