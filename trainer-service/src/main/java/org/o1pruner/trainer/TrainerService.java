package org.o1pruner.trainer;

import ai.djl.Device;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.runtime.DeadLetters;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.OffsetLedger;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.StepBatcher;
import org.o1pruner.trainer.core.TrainItem;
import org.o1pruner.trainer.core.Tracked;
import org.o1pruner.trainer.core.TrainingPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service: reads {@link Topics#SCORED} (read_committed, every partition assigned to
 * this one trainer), turns records into training items for the configured objective, trains
 * optimizer steps, and every N steps, at {@code O1P_TRAINER_MAX_STEPS} and on shutdown writes a
 * checkpoint and publishes a {@link CheckpointRecord} on {@link Topics#CHECKPOINTS}.
 *
 * <p>Exactly-once training across crashes: the offsets trained through live inside each
 * checkpoint (an {@link OffsetLedger} snapshot), not in Kafka. On start the service loads the newest
 * verified checkpoint (weights, optimizer, advantage statistics, offsets), seeks each partition to
 * its first unfinished offset and skips redelivered records that were already trained. Records
 * trained after the last checkpoint of a crashed run are trained again, and their effect on the
 * lost weights is gone with those weights, so the lineage of every checkpoint contains each scored
 * record exactly once. The offsets are also committed to the consumer group after each checkpoint,
 * for lag dashboards only.
 *
 * <p>The checkpoint record is published after the checkpoint is on disk, and published again after
 * a restart from it (a crash may have come between the two): consumers de-duplicate by version.
 * Records that do not decode or validate go to {@link Topics#DEAD_LETTER} with their reason.
 *
 * <p>All work runs on one thread (gradient mode on, PyTorch intra-op threads as configured).
 */
public final class TrainerService implements AutoCloseable {

    /** Observes the loop (tests, benchmarks); called on the training thread. */
    public interface Listener {
        /** After an optimizer step, with the items it trained. */
        default void trained(TrainerEngine.StepReport report, List<TrainItem> items) {}

        /** After a checkpoint was written and published. */
        default void checkpointed(CheckpointRecord record, CheckpointStore.Stored stored) {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerConfig.Settings settings;
    private final TrainerMetrics metrics;
    private final Listener listener;
    private final Clock clock;
    private final CheckpointStore store;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean abandon;
    private volatile boolean ready;
    private volatile Throwable failure;
    private Thread thread;

    private TrainerEngine engine;
    private OffsetLedger ledger;
    private TrainingPlan plan;
    private StepBatcher batcher;
    private long version;
    private long stepsSinceCheckpoint;
    private boolean dirty;
    private long itemsTrained;
    private long recordsTrained;
    private long tokensTrained;
    private TrainerEngine.StepReport lastReport;

    public TrainerService(TrainerConfig.Settings settings, MeterRegistry registry, Listener listener, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = new TrainerMetrics(registry);
        this.listener = listener == null ? new Listener() {} : listener;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new CheckpointStore(settings.checkpointDir(), settings.keepCheckpoints());
    }

    public TrainerService(TrainerConfig.Settings settings, MeterRegistry registry) {
        this(settings, registry, null, Clock.systemUTC());
    }

    /** Starts the training thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::runLoop, "o1p-trainer");
        thread.start();
    }

    /** Asks the loop to finish: it writes a final checkpoint and closes its clients. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Stops the loop at once without a final checkpoint, as a crash would (for crash tests): the
     * work since the last checkpoint is lost and will be redone after a restart.
     */
    public void abandon() {
        abandon = true;
        stopRequested = true;
    }

    /** Waits for the loop to end. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Model loaded and partitions assigned; false again once the loop has ended. */
    public boolean ready() {
        return ready;
    }

    /** The error that ended the loop, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public TrainerMetrics metrics() {
        return metrics;
    }

    public CheckpointStore store() {
        return store;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (thread != null) {
            thread.join();
        }
    }

    private void runLoop() {
        try (GradMode.Scope on = GradMode.enabled()) {
            GradMode.setIntraOpThreads(settings.threads());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps());
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
                Optional<CheckpointStore.Stored> resumed = initialise();
                try {
                    assign(consumer);
                    resumed.ifPresent(s -> publish(producer, s));
                    ready = true;
                    loop(consumer, producer);
                    if (!abandon && (dirty || stepsSinceCheckpoint > 0)) {
                        checkpoint(consumer, producer);
                    }
                } finally {
                    ready = false;
                    engine.close();
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("trainer stopped by an error", t);
        } finally {
            ready = false;
            done.countDown();
        }
    }

    private Optional<CheckpointStore.Stored> initialise() throws java.io.IOException {
        store.removeStaging();
        Optional<CheckpointStore.Stored> latest = store.latest();
        CausalLM policy = latest.isPresent() ? CausalLM.load(latest.get().dir(), Device.cpu())
                : CausalLM.load(settings.modelDir(), Device.cpu());
        CausalLM reference = null;
        try {
            if (settings.referenceSource() == ReferenceSource.FROZEN || settings.referenceCheckBatches() > 0) {
                reference = CausalLM.load(settings.referenceDir(), Device.cpu());
            }
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
        AdvantageStats stats = latest.map(s -> s.state().advantage()).orElse(AdvantageStats.empty());
        engine = new TrainerEngine(policy, reference, TrainerEngine.Options.from(settings), stats);
        if (latest.isPresent()) {
            CheckpointStore.TrainerState st = latest.get().state();
            engine.loadOptimizer(latest.get().dir());
            ledger = OffsetLedger.restore(st.offsets());
            version = st.version();
            itemsTrained = st.itemsTrained();
            recordsTrained = st.recordsTrained();
            tokensTrained = st.tokensTrained();
            LOG.info("resumed from checkpoint {} (version {}, step {})", latest.get().dir(), version, st.step());
        } else {
            ledger = new OffsetLedger();
            version = settings.baseVersion();
        }
        plan = new TrainingPlan(settings.objective(), settings.samplesPerProblem(), ledger);
        batcher = new StepBatcher(settings.batchSize(), settings.gradAccumulation());
        return latest;
    }

    private void assign(KafkaConsumer<byte[], byte[]> consumer) throws InterruptedException {
        List<PartitionInfo> infos = List.of();
        while (!stopRequested) {
            infos = consumer.partitionsFor(Topics.SCORED, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo i : infos) {
            parts.add(new TopicPartition(Topics.SCORED, i.partition()));
        }
        consumer.assign(parts);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(parts);
        for (TopicPartition tp : parts) {
            long seek = Math.max(ledger.seekOffset(tp.partition()), beginning.getOrDefault(tp, 0L));
            consumer.seek(tp, seek);
        }
    }

    private void loop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
        long lastInput = clock.millis();
        while (!stopRequested) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
            long skipped = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (!ledger.accept(r.partition(), r.offset())) {
                    skipped++;
                    continue;
                }
                dirty = true;
                ScoredRecord scored;
                try {
                    scored = Codecs.SCORED.decode(r.value()).validate();
                } catch (RecordException e) {
                    producer.send(DeadLetters.of(r, Topics.DEAD_LETTER, e.reason(), e.getMessage(), TrainerConfig.SERVICE));
                    metrics.deadLetter(e.reason());
                    ledger.release(r.partition(), r.offset());
                    continue;
                }
                batcher.addAll(plan.offer(new Tracked(r.partition(), r.offset(), scored)));
            }
            if (skipped > 0) {
                metrics.skipped(skipped);
            }
            if (!records.isEmpty()) {
                lastInput = clock.millis();
            }
            boolean flush = clock.millis() - lastInput >= settings.maxBatchWait().toMillis();
            Optional<List<List<TrainItem>>> step;
            while (!abandon && (step = batcher.next(flush)).isPresent()) {
                trainStep(step.get());
                flush = false;
                if (!abandon && stepsSinceCheckpoint >= settings.checkpointEvery()) {
                    checkpoint(consumer, producer);
                }
                if (settings.maxSteps() > 0 && engine.stepCount() >= settings.maxSteps()) {
                    stopRequested = true;
                    break;
                }
            }
        }
    }

    private void trainStep(List<List<TrainItem>> micro) {
        TrainerEngine.StepReport report = engine.step(micro);
        List<TrainItem> items = new ArrayList<>();
        micro.forEach(items::addAll);
        for (TrainItem item : items) {
            plan.trained(item);
            recordsTrained += item.sources().size();
        }
        itemsTrained += items.size();
        tokensTrained += report.tokens();
        stepsSinceCheckpoint++;
        lastReport = report;
        metrics.step(report);
        double[] drift = engine.referenceDrift();
        if (!Double.isNaN(drift[0])) {
            metrics.referenceDrift(drift[0], drift[1]);
        }
        listener.trained(report, items);
    }

    private void checkpoint(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
        long t0 = System.nanoTime();
        producer.flush(); // dead letters of records the checkpoint marks finished must be out first
        long next = version + 1;
        Map<String, Double> m = new TreeMap<>(lastReport == null ? Map.of() : lastReport.asMetrics());
        m.put("items_trained", (double) itemsTrained);
        m.put("records_trained", (double) recordsTrained);
        m.put("tokens_trained", (double) tokensTrained);
        double[] drift = engine.referenceDrift();
        if (!Double.isNaN(drift[0])) {
            m.put("reference_drift", drift[0]);
            m.put("reference_drift_max", drift[1]);
        }
        CheckpointStore.TrainerState state = new CheckpointStore.TrainerState(next, version, engine.stepCount(),
                settings.objective().wireName(), itemsTrained, recordsTrained, tokensTrained, engine.advantageStats(),
                ledger.snapshot(), m, settings.describe(), clock.millis());
        CheckpointStore.Stored stored = store.write(engine.policy(), engine::saveOptimizer, state);
        version = next;
        stepsSinceCheckpoint = 0;
        dirty = false;
        CheckpointRecord record = publish(producer, stored);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        state.offsets().forEach((p, s) -> commit.put(new TopicPartition(Topics.SCORED, p),
                new OffsetAndMetadata(s.pending().isEmpty() ? s.position() : s.pending().first())));
        consumer.commitSync(commit);
        metrics.checkpoint(next, System.nanoTime() - t0);
        LOG.info("checkpoint v{} at step {} written to {}", next, state.step(), stored.dir());
        listener.checkpointed(record, stored);
    }

    private CheckpointRecord publish(KafkaProducer<byte[], byte[]> producer, CheckpointStore.Stored stored) {
        CheckpointStore.TrainerState st = stored.state();
        Map<String, String> sums = new TreeMap<>();
        stored.manifest().files().forEach((name, sum) -> sums.put(name, sum.sha256()));
        CheckpointRecord record = new CheckpointRecord(settings.runId(), st.version(), st.step(),
                stored.dir().toUri().toString(), sums, st.parentVersion(), st.objective(), st.metrics(),
                st.createdAtMs()).validate();
        try {
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, Keys.of(record), Codecs.CHECKPOINT.encode(record)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish checkpoint record v" + st.version() + ": " + e.getMessage(), e);
        }
        return record;
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "o1p-trainer-" + settings.runId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "o1p-trainer-" + settings.runId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }
}
