package org.o1pruner.sampler;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure from the reward service: the total lag of a downstream consumer group on the
 * samples topic (end offsets minus the group's committed offsets, from the earliest offset where
 * nothing is committed). While it exceeds the limit the sampler pauses. The lag is looked up at
 * most once per refresh interval; a failed lookup keeps the last answer (and logs), so a flaky
 * admin call never stops sampling for good.
 */
public final class DownstreamLag implements BackPressure {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamLag.class);
    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final String topic;
    private final String group;
    private final long maxLag;
    private final long refreshNanos;
    private final SamplerMetrics metrics;
    private final LongSupplier nanoTime;
    private long lastCheck = Long.MIN_VALUE;
    private boolean paused;

    public DownstreamLag(String bootstrapServers, String topic, String group, long maxLag, Duration refresh,
                         SamplerMetrics metrics) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "o1p-sampler-lag"));
        this.topic = topic;
        this.group = group;
        this.maxLag = maxLag;
        this.refreshNanos = refresh.toNanos();
        this.metrics = metrics;
        this.nanoTime = System::nanoTime;
    }

    @Override
    public boolean shouldPause() {
        long now = nanoTime.getAsLong();
        if (lastCheck != Long.MIN_VALUE && now - lastCheck < refreshNanos) {
            return paused;
        }
        lastCheck = now;
        try {
            long lag = lag();
            metrics.downstreamLag(lag);
            boolean pause = lag > maxLag;
            if (pause != paused) {
                LOG.info("sampler: downstream group {} lags {} samples (limit {}): {}", group, lag, maxLag,
                        pause ? "pausing" : "resuming");
            }
            paused = pause;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("sampler: cannot read the lag of group {} on {} ({}); keeping the last decision", group, topic,
                    e.toString());
        }
        return paused;
    }

    /** Total lag of the group over the topic's partitions. */
    long lag() throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition tp : partitions) {
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                admin.listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long total = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            total += Math.max(0, ends.get(tp).offset() - from);
        }
        return total;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
