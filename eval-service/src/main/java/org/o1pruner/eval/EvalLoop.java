package org.o1pruner.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.o1pruner.eval.EvalMetrics.Kind;
import org.o1pruner.model.GradMode;
import org.o1pruner.runtime.DeadLetters;
import org.o1pruner.runtime.Failures;
import org.o1pruner.runtime.KafkaClientProps;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.runtime.RecordRejectedException;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.EvalRecord;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eval service's hop, on its own thread: {@code checkpoints} in, {@code evals} out, exactly
 * once. Per checkpoint record: decode, verify, evaluate (minutes to hours: <em>before</em> the
 * transaction begins, so the transaction timeout never has to cover it; the consumer's
 * {@code max.poll.interval.ms} must), then in one transaction send the {@code evals} records (or
 * the dead letter) and commit the record's offset. Only after the commit do the records enter the
 * {@link org.o1pruner.eval.core.EvalLedger} and the gauges.
 *
 * <p>On start it first rebuilds the ledger from the committed {@code evals} records (baselines,
 * versions done, best promoted), so a restarted evaluator neither re-evaluates the baseline nor
 * forgets the best AES. A retriable Kafka failure aborts, rewinds to the committed offset and
 * retries; a fatal one, or too many failures in a row, stops the loop (readiness then fails).
 */
public final class EvalLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvalLoop.class);
    private static final Duration CLIENT_CLOSE = Duration.ofSeconds(10);

    /** Life cycle; only {@code RUNNING} is ready. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    private final LoopOptions options;
    private final VersionEvaluator versions;
    private final EvalMetrics metrics;
    private final String runId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Exception> sendError = new AtomicReference<>();

    private volatile State state = State.STARTING;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private KafkaProducer<byte[], byte[]> producer;
    private boolean transactionOpen;
    private int consecutiveFailures;

    private EvalLoop(LoopOptions options, VersionEvaluator versions, EvalMetrics metrics, String runId) {
        this.options = options;
        this.versions = versions;
        this.metrics = metrics;
        this.runId = runId;
        this.consumer = new KafkaConsumer<>(KafkaClientProps.consumer(options));
        this.producer = new KafkaProducer<>(KafkaClientProps.producer(options));
        this.thread = new Thread(this::run, "o1p-loop-" + options.service());
    }

    /**
     * Starts the loop thread. The options' input topics must be {@link Topics#CHECKPOINTS}; set
     * {@code max.poll.records=1} and a long {@code max.poll.interval.ms} in the consumer overrides
     * (as {@link EvalService} does). Checkpoints of every run are evaluated; the gauges show
     * {@code runId}'s (the service's {@code O1P_RUN_ID}, its {@code run_id} metric tag).
     */
    public static EvalLoop start(LoopOptions options, VersionEvaluator versions, EvalMetrics metrics, String runId) {
        EvalLoop loop = new EvalLoop(options, versions, metrics, runId);
        loop.thread.start();
        return loop;
    }

    public State state() {
        return state;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public boolean isReady() {
        return state == State.RUNNING && running;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits until the loop is {@code RUNNING} (true), or ended, or the timeout passed (false). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            State s = state;
            if (s == State.RUNNING) {
                return true;
            }
            if (s == State.FAILED || s == State.STOPPED) {
                return false;
            }
            Thread.sleep(10);
        }
        return state == State.RUNNING;
    }

    private void run() {
        try (GradMode.Scope noGrad = GradMode.disabled()) {
            initTransactions();
            restoreLedger();
            consumer.subscribe(options.inputTopics());
            if (running) {
                state = State.RUNNING;
                LOG.info("eval: loop running on {} as {}", options.inputTopics(), options.transactionalId());
            }
            while (running) {
                step();
            }
        } catch (FatalLoopException e) {
            failure = e.getCause();
            state = State.FAILED;
            LOG.error("eval: loop stopped by a fatal error: {}", e.getCause().toString(), e.getCause());
        } catch (RuntimeException | Error e) {
            failure = e;
            state = State.FAILED;
            LOG.error("eval: loop failed unexpectedly", e);
        } finally {
            shutDown();
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            finished.countDown();
        }
    }

    /** Reads every committed {@code evals} record into the ledger and the gauges. */
    private void restoreLedger() {
        try (KafkaConsumer<byte[], byte[]> restore = new KafkaConsumer<>(KafkaClientProps.restoreConsumer(options))) {
            List<PartitionInfo> infos = restore.partitionsFor(Topics.EVALS, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> parts = new ArrayList<>();
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            restore.assign(parts);
            restore.seekToBeginning(parts);
            Map<TopicPartition, Long> end = restore.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + options.restoreTimeout().toNanos();
            int restored = 0;
            while (running && !reached(restore, end)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("restoring from " + Topics.EVALS + " took longer than " + options.restoreTimeout());
                }
                for (ConsumerRecord<byte[], byte[]> r : restore.poll(Duration.ofMillis(200))) {
                    EvalRecord e;
                    try {
                        e = Codecs.EVAL.decode(r.value());
                    } catch (RecordException ex) {
                        LOG.warn("eval: ignoring an undecodable evals record at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), ex.getMessage());
                        continue;
                    }
                    if (versions.ledger().apply(e)) {
                        show(e);
                        restored++;
                    }
                }
            }
            LOG.info("eval: restored {} evals records of decoding {}", restored, versions.ledger().decoding());
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void step() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(options.pollTimeout());
        } catch (WakeupException e) {
            return;
        } catch (RuntimeException e) {
            onFailure(e, ConsumerRecords.empty());
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!running) {
                return;
            }
            try {
                handle(r);
                consecutiveFailures = 0;
            } catch (RuntimeException | Error e) {
                onFailure(e, records);
                return;
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        List<EvalRecord> out = List.of();
        ProducerRecord<byte[], byte[]> deadLetter = null;
        DeadLetterReason reason = null;
        try {
            if (r.value() == null) {
                throw new RecordException(DeadLetterReason.UNDECODABLE, "null value");
            }
            CheckpointRecord ckpt = Codecs.CHECKPOINT.decode(r.value());
            if (r.key() != null && !Arrays.equals(r.key(), Keys.of(ckpt))) {
                throw new RecordException(DeadLetterReason.INVALID,
                        "key '" + Keys.decode(r.key()) + "' is not the run id '" + ckpt.runId() + "'");
            }
            out = versions.evaluate(ckpt);
        } catch (RecordException e) {
            reason = e.reason();
            deadLetter = deadLetter(r, reason, e.getMessage());
        } catch (RecordRejectedException e) {
            reason = e.reason();
            deadLetter = deadLetter(r, reason, e.getMessage());
        } catch (KafkaException | org.o1pruner.runtime.RetriableProcessingException
                 | org.o1pruner.runtime.FatalProcessingException e) {
            throw e;
        } catch (RuntimeException e) {
            // a checkpoint that verified but cannot be evaluated (unreadable tokenizer, engine error):
            // retrying would fail the same way, so it is refused rather than retried forever
            reason = DeadLetterReason.PROCESSING_FAILED;
            deadLetter = deadLetter(r, reason, e.toString());
            LOG.error("eval: evaluating {}-{}@{} failed", r.topic(), r.partition(), r.offset(), e);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets =
                Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        sendError.set(null);
        producer.beginTransaction();
        transactionOpen = true;
        for (EvalRecord e : out) {
            send(new ProducerRecord<>(Topics.EVALS, Keys.of(e), Codecs.EVAL.encode(e)));
        }
        if (deadLetter != null) {
            send(deadLetter);
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.flush();
        Exception sendFailure = sendError.get();
        if (sendFailure != null) {
            throw new KafkaException("a send in the transaction failed: " + sendFailure, sendFailure);
        }
        producer.commitTransaction();
        transactionOpen = false;
        if (reason != null) {
            metrics.deadLetter(reason);
        }
        for (EvalRecord e : out) {
            versions.ledger().apply(e);
            show(e);
        }
    }

    /** Points the gauges of {@code e}'s data set at the ledger's baseline, latest and best. */
    private void show(EvalRecord e) {
        if (!runId.equals(e.runId())) {
            return;
        }
        var ledger = versions.ledger();
        ledger.baseline(e.runId(), e.dataset()).ifPresent(b -> metrics.show(Kind.BASELINE, b));
        ledger.latest(e.runId(), e.dataset()).ifPresent(l -> metrics.show(Kind.LATEST, l));
        ledger.best(e.runId(), e.dataset()).ifPresent(b -> metrics.show(Kind.BEST, b));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason,
                                                      String detail) {
        LOG.warn("eval: dead-lettering {}-{}@{} ({}): {}", r.topic(), r.partition(), r.offset(), reason.tag(), detail);
        return DeadLetters.of(r, options.deadLetterTopic(), reason, detail, options.service());
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (md, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        });
    }

    private void initTransactions() {
        while (running) {
            try {
                producer.initTransactions();
                return;
            } catch (RuntimeException e) {
                if (Failures.classify(e) == Failures.Kind.FATAL) {
                    throw new FatalLoopException(e);
                }
                countFailure(e);
                LOG.warn("eval: initTransactions failed, retrying: {}", e.toString());
                recreateProducer();
                backoff();
            }
        }
    }

    private void onFailure(Throwable e, ConsumerRecords<byte[], byte[]> batch) {
        if (Failures.classify(e) == Failures.Kind.FATAL) {
            throw new FatalLoopException(e);
        }
        countFailure(e);
        if (running) {
            LOG.warn("eval: checkpoint failed ({} in a row), aborting and retrying: {}", consecutiveFailures, e.toString(), e);
        }
        abortOrRecreateProducer();
        while (running) {
            backoff();
            try {
                rewindToCommitted(batch);
                return;
            } catch (WakeupException w) {
                return;
            } catch (RuntimeException r) {
                if (Failures.classify(r) == Failures.Kind.FATAL) {
                    throw new FatalLoopException(r);
                }
                countFailure(r);
                LOG.warn("eval: rewinding after an abort failed, retrying: {}", r.toString());
            }
        }
    }

    private void countFailure(Throwable e) {
        consecutiveFailures++;
        if (consecutiveFailures > options.maxConsecutiveFailures()) {
            throw new FatalLoopException(new KafkaException(
                    "giving up after " + options.maxConsecutiveFailures() + " consecutive retriable failures", e));
        }
    }

    private void abortOrRecreateProducer() {
        if (!transactionOpen) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException abortFailure) {
            if (Failures.classify(abortFailure) == Failures.Kind.FATAL) {
                throw new FatalLoopException(abortFailure);
            }
            LOG.warn("eval: abort failed ({}); recreating the producer", abortFailure.toString());
            recreateProducer();
        } finally {
            transactionOpen = false;
        }
    }

    private void recreateProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the failed producer: {}", e.toString());
        }
        producer = new KafkaProducer<>(KafkaClientProps.producer(options));
        producer.initTransactions();
        transactionOpen = false;
    }

    private void rewindToCommitted(ConsumerRecords<byte[], byte[]> batch) {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(30));
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                seekTo.put(tp, c.offset());
            } else if (!batch.records(tp).isEmpty()) {
                seekTo.put(tp, batch.records(tp).get(0).offset());
            }
        }
        seekTo.forEach(consumer::seek);
    }

    private void backoff() {
        long base = options.retryBackoff().toMillis();
        long ms = Math.min(base * 50, base << Math.min(10, Math.max(0, consecutiveFailures - 1)));
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void shutDown() {
        boolean interrupted = Thread.interrupted();
        if (transactionOpen) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                LOG.warn("eval: abort on shutdown failed (the next owner's initTransactions aborts it): {}", e.toString());
            }
            transactionOpen = false;
        }
        closeQuietly(() -> producer.close(CLIENT_CLOSE), "producer");
        closeQuietly(() -> consumer.close(CloseOptions.timeout(CLIENT_CLOSE)), "consumer");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Runnable close, String what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("eval: closing the {} failed: {}", what, e.toString());
        }
    }

    /**
     * Stops the loop: a checkpoint being evaluated finishes and commits (or aborts), then the
     * clients close. If it has not ended within {@code timeout}, the thread is interrupted.
     *
     * @return true if the loop ended in time
     */
    public boolean close(Duration timeout) {
        running = false;
        consumer.wakeup();
        try {
            if (finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warn("eval: loop did not stop within {}; interrupting it", timeout);
            thread.interrupt();
            return finished.await(CLIENT_CLOSE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        close(options.shutdownTimeout());
    }

    private static final class FatalLoopException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalLoopException(Throwable cause) {
            super(cause);
        }
    }
}
