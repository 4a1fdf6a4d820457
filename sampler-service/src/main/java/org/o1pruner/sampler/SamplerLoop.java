package org.o1pruner.sampler;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.o1pruner.runtime.DeadLetters;
import org.o1pruner.runtime.Failures;
import org.o1pruner.runtime.KafkaClientProps;
import org.o1pruner.runtime.LoopOptions;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.SampleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampler's exactly-once hop, on its own thread: poll a batch of prompts, generate all K
 * samples of every prompt together ({@link SamplerProcessor}), then in <em>one</em> transaction
 * send the samples and any dead letters and commit the prompts' offsets. A prompt's offset is
 * therefore committed exactly when all its K samples are: a crash at any point leaves either
 * the whole group (for read_committed readers) or none of it, and the prompt is sampled again.
 *
 * <p>This is a batch-shaped sibling of the runtime's {@code TransactionalLoop} (whose processor
 * sees one record at a time, which would keep problems from sharing engine batches); it uses the
 * runtime's client properties, failure classification and dead-letter format. Generation runs
 * before the transaction begins, so a long generation never runs into the transaction timeout;
 * the consumer's {@code max.poll.interval.ms} must cover it.
 *
 * <p>Pipelined: generation runs on an engine thread, and while it works on one poll's prompts
 * the loop thread commits the previous poll's transaction, so the engine does not wait for the
 * broker. A batch is therefore committed after the next poll; if that poll revokes its
 * partitions, the rebalance listener commits it first (its samples are complete by then), so
 * no other sampler re-samples a group this one produced. A failed commit discards both batches
 * and rewinds to the committed offsets; stopping commits the batch that is ready.
 *
 * <p>Between batches it swaps in a newer policy from its {@link PolicySource} and pauses while
 * the {@link BackPressure} says the pipeline behind it lags (still polling, so it stays in the
 * group). A retriable failure aborts, rewinds to the committed offsets and retries after a
 * back-off; a fatal one (fenced producer, too many failures in a row) stops the loop. The
 * clients' own metrics ({@code kafka.consumer.*}, {@code kafka.producer.*}) are bound to the
 * loop's meter registry.
 */
public final class SamplerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamplerLoop.class);
    private static final Duration CLIENT_CLOSE = Duration.ofSeconds(10);

    /** Life cycle; only {@code RUNNING} is ready. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    private final LoopOptions options;
    private final String outputTopic;
    private final SamplerProcessor processor;
    private final PolicySource policies;
    private final BackPressure backPressure;
    private final SamplerMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Exception> sendError = new AtomicReference<>();
    private final ExecutorService engine;

    private final KafkaClientMetrics consumerMetrics;
    private KafkaClientMetrics producerMetrics;

    private volatile State state = State.STARTING;
    private volatile boolean running = true;
    private volatile Throwable failure;

    // loop thread only
    private KafkaProducer<byte[], byte[]> producer;
    private Policy policy;
    private boolean transactionOpen;
    private boolean paused;
    private int consecutiveFailures;
    /** A generated poll batch whose transaction is not yet committed. */
    private Batch pending;

    /** One poll's work: what to send and which offsets it commits. */
    private static final class Batch {
        final List<PromptRecord> prompts = new ArrayList<>();
        final List<int[]> tokens = new ArrayList<>();
        final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        final List<DeadLetterReason> reasons = new ArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        /** First polled offset per partition: where to rewind when nothing is committed there. */
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        List<List<SampleRecord>> groups = List.of();
    }

    private SamplerLoop(LoopOptions options, String outputTopic, Policy initial, PolicySource policies,
                        SamplerProcessor processor, BackPressure backPressure, SamplerMetrics metrics) {
        this.options = options;
        this.outputTopic = outputTopic;
        this.policy = initial;
        this.policies = policies;
        this.processor = processor;
        this.backPressure = backPressure;
        this.metrics = metrics;
        this.consumer = new KafkaConsumer<>(KafkaClientProps.consumer(options));
        this.producer = new KafkaProducer<>(KafkaClientProps.producer(options));
        this.thread = new Thread(this::run, "o1p-loop-" + options.service());
        this.engine = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "o1p-engine-" + options.service());
            t.setDaemon(true);
            return t;
        });
        metrics.policyVersion(initial.version());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(options.meterRegistry());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(options.meterRegistry());
    }

    /**
     * Starts the loop thread. The loop owns {@code initial} (and every policy it switches to) and
     * closes it when it ends; it also closes {@code backPressure}.
     */
    public static SamplerLoop start(LoopOptions options, String outputTopic, Policy initial, PolicySource policies,
                                    SamplerProcessor processor, BackPressure backPressure, SamplerMetrics metrics) {
        SamplerLoop loop = new SamplerLoop(options, outputTopic, initial, policies, processor, backPressure, metrics);
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

    /** The version of the policy now in use. */
    public long policyVersion() {
        return metrics.policyVersionInUse();
    }

    /** Waits until the loop is {@code RUNNING} (true) or has ended or the timeout passed (false). */
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
        try {
            try (org.o1pruner.model.GradMode.Scope noGrad = org.o1pruner.model.GradMode.disabled()) {
                initTransactions();
                consumer.subscribe(options.inputTopics(), new CommitBeforeRevoke());
                if (running) {
                    state = State.RUNNING;
                    LOG.info("sampler: loop running on {} as {} with policy version {}", options.inputTopics(),
                            options.transactionalId(), policy.version());
                }
                while (running) {
                    step();
                }
                commitPendingOnStop();
            }
        } catch (FatalLoopException e) {
            failure = e.getCause();
            state = State.FAILED;
            LOG.error("sampler: loop stopped by a fatal error: {}", e.getCause().toString(), e.getCause());
        } catch (RuntimeException | Error e) {
            failure = e;
            state = State.FAILED;
            LOG.error("sampler: loop failed unexpectedly", e);
        } finally {
            shutDown();
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            finished.countDown();
        }
    }

    private void step() {
        switchPolicyIfNewer();
        boolean pause = backPressure.shouldPause();
        if (pause != paused) {
            Set<TopicPartition> assigned = consumer.assignment();
            if (pause) {
                consumer.pause(assigned);
            } else {
                consumer.resume(consumer.paused());
            }
            paused = pause;
        }
        if (paused) {
            metrics.backpressurePause();
            consumer.pause(consumer.assignment()); // partitions assigned meanwhile stay paused too
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(options.pollTimeout());
        } catch (WakeupException e) {
            return;
        } catch (RuntimeException e) {
            Map<TopicPartition, Long> rewind = firstOffsets(pending);
            pending = null;
            onFailure(e, rewind);
            return;
        }
        metrics.queueDepth(queueDepth());
        Batch next = null;
        Future<List<List<SampleRecord>>> generation = null;
        try {
            if (!records.isEmpty()) {
                next = prepare(records);
                Batch work = next;
                Policy current = policy;
                if (!work.prompts.isEmpty()) {
                    generation = engine.submit(() -> processor.generate(work.prompts, work.tokens, current));
                }
            }
            if (pending != null) {
                commit(pending); // overlaps the generation just submitted
                pending = null;
                consecutiveFailures = 0;
            }
            if (next != null) {
                next.groups = generation == null ? List.of() : await(generation);
                generation = null;
                pending = next;
            }
        } catch (RuntimeException | Error e) {
            discard(generation);
            Map<TopicPartition, Long> rewind = firstOffsets(pending, next);
            pending = null;
            onFailure(e, rewind);
        }
    }

    /** Waits for a generation; its failure is rethrown as it was thrown. */
    private static List<List<SampleRecord>> await(Future<List<List<SampleRecord>>> generation) {
        try {
            return generation.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for generation", e);
        }
    }

    /** Lets an abandoned generation finish (its policy must not close under it) and drops its result. */
    private static void discard(Future<?> generation) {
        if (generation == null) {
            return;
        }
        try {
            generation.get();
        } catch (ExecutionException e) {
            LOG.debug("sampler: discarded generation failed too: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<TopicPartition, Long> firstOffsets(Batch... batches) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Batch b : batches) {
            if (b != null) {
                b.firstOffsets.forEach((tp, o) -> first.merge(tp, o, Math::min));
            }
        }
        return first;
    }

    /** On stop: the ready batch is committed, so its samples are not generated again by the next owner. */
    private void commitPendingOnStop() {
        commitPendingOrDrop("committing the last batch on stop failed; its prompts will be sampled again");
    }

    /** Commits the ready batch if there is one; on failure aborts and drops it (it is polled again). */
    private void commitPendingOrDrop(String failureMessage) {
        if (pending == null) {
            return;
        }
        try {
            commit(pending);
        } catch (RuntimeException e) {
            LOG.warn("sampler: {}: {}", failureMessage, e.toString());
            abortQuietly();
        } finally {
            pending = null;
        }
    }

    private void abortQuietly() {
        try {
            abortOrRecreateProducer();
        } catch (RuntimeException e) {
            LOG.warn("sampler: abort failed: {}", e.toString());
        }
    }

    /**
     * Commits the ready batch before its partitions go to another sampler; if that fails, the
     * batch is dropped and the new owner samples it from the committed offsets.
     */
    private final class CommitBeforeRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitPendingOrDrop("committing before a rebalance failed; the batch will be sampled again");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing: positions come from the committed offsets
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (pending != null) {
                LOG.warn("sampler: partitions lost with an uncommitted batch; it will be sampled again");
                pending = null;
            }
        }
    }

    private void switchPolicyIfNewer() {
        Optional<Policy> next = policies.takeNewer(policy.version());
        if (next.isPresent()) {
            Policy old = policy;
            policy = next.get();
            metrics.policyVersion(policy.version());
            metrics.policySwitched();
            LOG.info("sampler: switched from policy version {} to {}", old.version(), policy.version());
            old.close();
        }
    }

    private long queueDepth() {
        long depth = 0;
        for (TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                depth += lag.getAsLong();
            }
        }
        return depth;
    }

    /** Decodes and validates one poll's prompts (dead letters for the bad ones); no generation yet. */
    private Batch prepare(ConsumerRecords<byte[], byte[]> records) {
        Batch b = new Batch();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            b.offsets.put(tp, new OffsetAndMetadata(r.offset() + 1));
            b.firstOffsets.merge(tp, r.offset(), Math::min);
            try {
                PromptRecord p = Codecs.PROMPT.decode(r.value());
                if (r.key() != null && !Arrays.equals(r.key(), Keys.of(p))) {
                    throw new RecordException(DeadLetterReason.INVALID,
                            "key '" + Keys.decode(r.key()) + "' is not the problem id '" + p.problemId() + "'");
                }
                int[] t = policy.promptTokens(p);
                b.prompts.add(p);
                b.tokens.add(t);
            } catch (RecordException e) {
                b.deadLetters.add(deadLetter(r, e.reason(), e.getMessage(), b.reasons));
            } catch (IllegalArgumentException e) {
                b.deadLetters.add(deadLetter(r, DeadLetterReason.INVALID, e.getMessage(), b.reasons));
            } catch (RuntimeException e) {
                if (r.value() == null) {
                    b.deadLetters.add(deadLetter(r, DeadLetterReason.UNDECODABLE, "null value", b.reasons));
                } else {
                    throw e;
                }
            }
        }
        return b;
    }

    /** One transaction: the batch's samples and dead letters, and its prompts' offsets. */
    private void commit(Batch b) {
        long t0 = System.nanoTime();
        sendError.set(null);
        producer.beginTransaction();
        transactionOpen = true;
        for (List<SampleRecord> group : b.groups) {
            for (SampleRecord s : group) {
                send(new ProducerRecord<>(outputTopic, Keys.of(s), Codecs.SAMPLE.encode(s)));
            }
        }
        b.deadLetters.forEach(this::send);
        producer.sendOffsetsToTransaction(b.offsets, consumer.groupMetadata());
        producer.flush();
        Exception sendFailure = sendError.get();
        if (sendFailure != null) {
            throw new KafkaException("a send in the transaction failed: " + sendFailure, sendFailure);
        }
        producer.commitTransaction();
        transactionOpen = false;
        metrics.promptsDone(b.prompts.size());
        b.reasons.forEach(metrics::deadLetter);
        LOG.debug("sampler: committed {} prompts ({} dead letters) in {} ms", b.prompts.size(), b.deadLetters.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason,
                                                      String detail, List<DeadLetterReason> reasons) {
        reasons.add(reason);
        LOG.warn("sampler: dead-lettering {}-{}@{} ({}): {}", r.topic(), r.partition(), r.offset(), reason.tag(), detail);
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
                LOG.warn("sampler: initTransactions failed, retrying: {}", e.toString());
                recreateProducer();
                backoff();
            }
        }
    }

    private void onFailure(Throwable e, Map<TopicPartition, Long> firstPolled) {
        if (Failures.classify(e) == Failures.Kind.FATAL) {
            throw new FatalLoopException(e);
        }
        countFailure(e);
        if (running) {
            LOG.warn("sampler: batch failed ({} in a row), aborting and retrying: {}", consecutiveFailures, e.toString(), e);
        }
        abortOrRecreateProducer();
        while (running) {
            backoff();
            try {
                rewindToCommitted(firstPolled);
                return;
            } catch (WakeupException w) {
                return;
            } catch (RuntimeException r) {
                if (Failures.classify(r) == Failures.Kind.FATAL) {
                    throw new FatalLoopException(r);
                }
                countFailure(r);
                LOG.warn("sampler: rewinding after an abort failed, retrying: {}", r.toString());
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
            LOG.warn("sampler: abort failed ({}); recreating the producer", abortFailure.toString());
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
        producerMetrics.close();
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(options.meterRegistry());
        producer.initTransactions();
        transactionOpen = false;
    }

    private void rewindToCommitted(Map<TopicPartition, Long> firstPolled) {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(30));
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c.offset());
            } else if (firstPolled.containsKey(tp)) {
                consumer.seek(tp, firstPolled.get(tp));
            }
        }
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
                LOG.warn("sampler: abort on shutdown failed (the next owner's initTransactions aborts it): {}", e.toString());
            }
            transactionOpen = false;
        }
        engine.shutdownNow();
        closeQuietly(consumerMetrics::close, "consumer metrics");
        closeQuietly(producerMetrics::close, "producer metrics");
        closeQuietly(() -> producer.close(CLIENT_CLOSE), "producer");
        closeQuietly(() -> consumer.close(CloseOptions.timeout(CLIENT_CLOSE)), "consumer");
        closeQuietly(backPressure::close, "back-pressure client");
        closeQuietly(policy::close, "policy");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Runnable close, String what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("sampler: closing the {} failed: {}", what, e.toString());
        }
    }

    /**
     * Stops the loop: the batch in flight finishes and commits (or aborts), then the clients and
     * the policy close. If it has not ended within {@code timeout}, the thread is interrupted.
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
            LOG.warn("sampler: loop did not stop within {}; interrupting it", timeout);
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
