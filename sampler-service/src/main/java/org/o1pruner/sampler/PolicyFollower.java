package org.o1pruner.sampler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.PublishedCheckpoint;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.EvalRecord;
import org.o1pruner.schema.RecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the run's published checkpoints (and, for {@link FollowMode#LATEST_PROMOTED}, the
 * evaluations that promote them) on its own thread with a plain group-less read_committed
 * consumer that reads both topics from the beginning. When {@link PolicyChoice} names a newer
 * version, the follower verifies its files ({@link PublishedCheckpoint}), loads it off the sampling
 * thread and offers it through {@link #takeNewer}, so the sampler's loop switches between
 * batches without a restart. A checkpoint that fails verification or loading is refused (counted
 * and logged) and never retried.
 */
public final class PolicyFollower implements PolicySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFollower.class);
    private static final long PARTITION_REFRESH_MS = 5_000;

    /** Loads a verified checkpoint directory as a policy of the given version. */
    @FunctionalInterface
    public interface Loader {
        Policy load(Path dir, long version);
    }

    private final PolicyChoice choice;
    private final List<String> topics;
    private final String checkpointTopic;
    private final Loader loader;
    private final SamplerMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicReference<Policy> pending = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long offeredVersion;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private long lastRefreshMs;

    private PolicyFollower(String bootstrapServers, FollowMode mode, String runId, String checkpointTopic,
                           String evalTopic, long startVersion, Loader loader, SamplerMetrics metrics) {
        this.choice = new PolicyChoice(mode, runId);
        this.checkpointTopic = checkpointTopic;
        this.topics = mode == FollowMode.LATEST_PROMOTED ? List.of(checkpointTopic, evalTopic) : List.of(checkpointTopic);
        this.loader = loader;
        this.metrics = metrics;
        this.offeredVersion = startVersion;
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "o1p-sampler-policy-follower");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "o1p-sampler-policy-follower");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following.
     *
     * @param startVersion version of the policy the sampler starts with; only newer ones are offered
     */
    public static PolicyFollower start(String bootstrapServers, FollowMode mode, String runId, String checkpointTopic,
                                       String evalTopic, long startVersion, Loader loader, SamplerMetrics metrics) {
        if (mode == FollowMode.FIXED) {
            throw new IllegalArgumentException("a fixed policy needs no follower");
        }
        PolicyFollower f = new PolicyFollower(bootstrapServers, mode, runId, checkpointTopic, evalTopic, startVersion,
                loader, metrics);
        f.thread.start();
        return f;
    }

    @Override
    public Optional<Policy> takeNewer(long currentVersion) {
        Policy p = pending.getAndSet(null);
        if (p == null) {
            return Optional.empty();
        }
        if (p.version() <= currentVersion) {
            p.close();
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** Whether the follower thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        try (GradMode.Scope noGrad = GradMode.disabled()) {
            while (running) {
                refreshAssignment();
                try {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        read(r);
                    }
                } catch (WakeupException e) {
                    continue;
                }
                Optional<CheckpointRecord> next = choice.next(offeredVersion);
                next.ifPresent(this::loadAndOffer);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("sampler: policy follower stopped; no more policy switches", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("sampler: closing the policy follower's consumer failed: {}", e.toString());
            }
        }
    }

    private void refreshAssignment() {
        long now = System.currentTimeMillis();
        if (now - lastRefreshMs < PARTITION_REFRESH_MS && !assigned.isEmpty()) {
            return;
        }
        lastRefreshMs = now;
        Set<TopicPartition> all = new HashSet<>();
        for (String t : topics) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(t, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("partitions of {} unknown yet: {}", t, e.toString());
                continue;
            }
            if (infos != null) {
                infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
        }
        if (!all.equals(assigned)) {
            List<TopicPartition> added = new ArrayList<>(all);
            added.removeAll(assigned);
            consumer.assign(all);
            consumer.seekToBeginning(added);
            assigned.clear();
            assigned.addAll(all);
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(checkpointTopic)) {
                choice.onCheckpoint(Codecs.CHECKPOINT.decode(r.value()));
            } else {
                EvalRecord e = Codecs.EVAL.decode(r.value());
                choice.onEval(e);
            }
        } catch (RecordException e) {
            LOG.warn("sampler: ignoring a bad record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void loadAndOffer(CheckpointRecord r) {
        long t0 = System.nanoTime();
        Policy loaded;
        try {
            Path dir = PublishedCheckpoint.directory(r.uri());
            PublishedCheckpoint.verify(dir, r.sha256ByFile());
            loaded = loader.load(dir, r.version());
        } catch (RuntimeException e) {
            choice.refuse(r.version());
            metrics.checkpointRefused();
            LOG.error("sampler: refusing checkpoint version {} of run {} at {}: {}", r.version(), r.runId(), r.uri(),
                    e.getMessage());
            return;
        }
        offeredVersion = r.version();
        Policy replaced = pending.getAndSet(loaded);
        if (replaced != null) {
            replaced.close();
        }
        LOG.info("sampler: checkpoint version {} verified and loaded in {} ms; switching at the next batch",
                r.version(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Policy p = pending.getAndSet(null);
        if (p != null) {
            p.close();
        }
    }
}
