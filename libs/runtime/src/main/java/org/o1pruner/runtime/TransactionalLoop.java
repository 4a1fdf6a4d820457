package org.o1pruner.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.WakeupException;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.RecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exactly-once consume-transform-produce hop on its own thread (STYLE.md habit 4).
 *
 * <p>Once: {@code initTransactions}, subscribe. Per poll batch: begin; hand each record to the
 * {@link StreamProcessor}; send its output; dead-letter the records it rejects (original bytes
 * and headers, plus the reason, in the same transaction); punctuate when the flush interval has
 * passed; {@code sendOffsetsToTransaction} with the consumer's group metadata; commit. The
 * consumer is read_committed with auto-commit off; the producer is idempotent and
 * transactional with a stable id per replica, so a restarted replica fences its predecessor.
 *
 * <p>A retriable failure aborts the transaction (recreating the producer if even the abort
 * fails), tells the processor to drop its state, rewinds the consumer to the committed offsets
 * and restores the processor's state for the whole assignment before retrying, so nothing from
 * the aborted attempt survives anywhere. A fatal failure (fenced producer, authorisation,
 * {@link FatalProcessingException}, or too many retriable failures in a row) stops the loop and
 * makes it not ready; {@link #failure()} says why.
 *
 * <p>{@link #close(Duration)} lets the current batch finish and commit (or aborts it if it
 * cannot), then closes the clients: every consumed record is either in a committed transaction
 * or will be consumed again by the next owner of its partition.
 */
public final class TransactionalLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalLoop.class);
    private static final Duration CLIENT_CLOSE = Duration.ofSeconds(10);

    /** Life cycle; only {@code RUNNING} is ready. */
    public enum State { STARTING, RUNNING, STOPPED, FAILED }

    private final LoopOptions options;
    private final StreamProcessor processor;
    private final LoopMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Exception> sendError = new AtomicReference<>();
    private final List<KafkaClientMetrics> consumerBinders = new ArrayList<>();
    private final List<KafkaClientMetrics> producerBinders = new ArrayList<>();
    private final List<MeterRegistry> boundRegistries = new ArrayList<>();

    private volatile State state = State.STARTING;
    private volatile boolean running = true;
    private volatile Throwable failure;

    // loop-thread only
    private volatile KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> restoreConsumer;
    private boolean transactionOpen;
    private int consecutiveFailures;
    private long lastPunctuateMs;

    private TransactionalLoop(LoopOptions options, StreamProcessor processor) {
        this.options = options;
        this.processor = processor;
        this.metrics = new LoopMetrics(options.meterRegistry(), options.service());
        this.consumer = new KafkaConsumer<>(KafkaClientProps.consumer(options));
        this.producer = new KafkaProducer<>(KafkaClientProps.producer(options));
        this.thread = new Thread(this::run, "o1p-loop-" + options.service());
    }

    /** Creates the clients and starts the loop thread; it initialises transactions and subscribes. */
    public static TransactionalLoop start(LoopOptions options, StreamProcessor processor) {
        TransactionalLoop loop = new TransactionalLoop(options, processor);
        loop.thread.start();
        return loop;
    }

    public State state() {
        return state;
    }

    /** Liveness: the loop thread has not ended. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Readiness: transactions initialised, subscribed, not failed, not closing. */
    public boolean isReady() {
        return state == State.RUNNING && running;
    }

    /** The fatal failure that stopped the loop, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public LoopMetrics metrics() {
        return metrics;
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

    /**
     * Binds the consumer's and producer's Kafka client metrics ({@code kafka.consumer.*},
     * {@code kafka.producer.*}) to {@code registry}; they follow a recreated producer and are
     * unbound when the loop ends.
     */
    public synchronized void bindClientMetrics(MeterRegistry registry) {
        if (finished.getCount() == 0) {
            return;
        }
        boundRegistries.add(registry);
        KafkaClientMetrics c = new KafkaClientMetrics(consumer);
        c.bindTo(registry);
        consumerBinders.add(c);
        KafkaClientMetrics p = new KafkaClientMetrics(producer);
        p.bindTo(registry);
        producerBinders.add(p);
    }

    private synchronized void rebindProducerMetrics() {
        producerBinders.forEach(KafkaClientMetrics::close);
        producerBinders.clear();
        for (MeterRegistry registry : boundRegistries) {
            KafkaClientMetrics p = new KafkaClientMetrics(producer);
            p.bindTo(registry);
            producerBinders.add(p);
        }
    }

    private synchronized void unbindClientMetrics() {
        consumerBinders.forEach(KafkaClientMetrics::close);
        producerBinders.forEach(KafkaClientMetrics::close);
        consumerBinders.clear();
        producerBinders.clear();
        boundRegistries.clear();
    }

    // ---------------------------------------------------------------- the loop thread

    private void run() {
        try {
            initTransactions();
            consumer.subscribe(options.inputTopics(), new Rebalance());
            lastPunctuateMs = options.clock().millis();
            if (running) {
                state = State.RUNNING;
                metrics.running(true);
                LOG.info("{}: transactional loop running on {} as {}", options.service(), options.inputTopics(),
                        options.transactionalId());
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(options.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                } catch (RuntimeException e) {
                    onFailure(e, ConsumerRecords.empty());
                    continue;
                }
                long now = options.clock().millis();
                boolean punctuate = now - lastPunctuateMs >= options.flushInterval().toMillis();
                if (records.isEmpty() && !punctuate) {
                    continue;
                }
                try {
                    runTransaction(records, punctuate ? now : -1);
                    if (punctuate) {
                        lastPunctuateMs = now;
                    }
                    consecutiveFailures = 0;
                } catch (RuntimeException | Error e) {
                    onFailure(e, records);
                }
            }
        } catch (FatalLoopException e) {
            failure = e.getCause();
            state = State.FAILED;
            LOG.error("{}: transactional loop stopped by a fatal error: {}", options.service(), e.getCause().toString(), e.getCause());
        } catch (RuntimeException | Error e) {
            failure = e;
            state = State.FAILED;
            LOG.error("{}: transactional loop failed unexpectedly", options.service(), e);
        } finally {
            metrics.running(false);
            shutDownClients();
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            finished.countDown();
        }
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
                LOG.warn("{}: initTransactions failed, retrying: {}", options.service(), e.toString());
                recreateProducer();
                backoff();
            }
        }
    }

    private void runTransaction(ConsumerRecords<byte[], byte[]> records, long punctuateAtMs) {
        long t0 = System.nanoTime();
        sendError.set(null);
        producer.beginTransaction();
        transactionOpen = true;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<DeadLetterReason> deadLettered = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            pending.clear();
            try {
                processor.process(record, pending::add);
                pending.forEach(this::send);
            } catch (RecordRejectedException e) {
                deadLetter(record, e.reason(), e.getMessage(), deadLettered);
            } catch (RecordException e) {
                deadLetter(record, e.reason(), e.getMessage(), deadLettered);
            } catch (RetriableProcessingException | FatalProcessingException | KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("{}: processing {}-{}@{} failed; dead-lettering it", options.service(), record.topic(),
                        record.partition(), record.offset(), e);
                deadLetter(record, DeadLetterReason.PROCESSING_FAILED, e.toString(), deadLettered);
            }
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            count++;
        }
        if (punctuateAtMs >= 0) {
            processor.punctuate(punctuateAtMs, this::send);
        }
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        producer.flush();
        Exception sendFailure = sendError.get();
        if (sendFailure != null) {
            throw new KafkaException("a send in the transaction failed: " + sendFailure, sendFailure);
        }
        producer.commitTransaction();
        transactionOpen = false;
        metrics.committed(count, System.nanoTime() - t0);
        deadLettered.forEach(metrics::deadLetter);
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (md, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        });
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail,
                            List<DeadLetterReason> deadLettered) {
        send(DeadLetters.of(record, options.deadLetterTopic(), reason, detail, options.service()));
        deadLettered.add(reason);
    }

    /** Abort, reset, rewind, restore, back off; or escalate to fatal. */
    private void onFailure(Throwable e, ConsumerRecords<byte[], byte[]> batch) {
        if (Failures.classify(e) == Failures.Kind.FATAL) {
            throw new FatalLoopException(e);
        }
        countFailure(e);
        if (running) {
            LOG.warn("{}: transaction failed ({} in a row), aborting and retrying: {}", options.service(),
                    consecutiveFailures, e.toString());
        }
        abortOrRecreateProducer();
        while (true) {
            processor.onAbort();
            if (!running) {
                return;
            }
            backoff();
            try {
                rewindToCommitted(batch);
                processor.onAssigned(Set.copyOf(consumer.assignment()), this::restore);
                return;
            } catch (WakeupException w) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException r) {
                if (Failures.classify(r) == Failures.Kind.FATAL) {
                    throw new FatalLoopException(r);
                }
                countFailure(r);
                LOG.warn("{}: recovery after an abort failed, retrying: {}", options.service(), r.toString());
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
            metrics.aborted();
        } catch (RuntimeException abortFailure) {
            // a producer that cannot even abort because of its epoch is probably a zombie: recreating
            // it would fence the rightful owner of this transactional id, so stop instead
            if (Failures.classify(abortFailure) == Failures.Kind.FATAL
                    || abortFailure instanceof ApplicationRecoverableException) {
                throw new FatalLoopException(abortFailure);
            }
            LOG.warn("{}: abort failed ({}); recreating the producer, which aborts the open transaction",
                    options.service(), abortFailure.toString());
            recreateProducer();
            metrics.aborted();
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
        rebindProducerMetrics();
        // initTransactions on the same transactional id completes or aborts what the old producer left open
        producer.initTransactions();
        transactionOpen = false;
    }

    private void rewindToCommitted(ConsumerRecords<byte[], byte[]> batch) {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(30));
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c.offset());
            } else {
                List<ConsumerRecord<byte[], byte[]>> polled = batch.records(tp);
                if (!polled.isEmpty()) {
                    consumer.seek(tp, polled.get(0).offset());
                }
            }
        }
    }

    private long restore(TopicPartition tp, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        if (restoreConsumer == null) {
            restoreConsumer = new KafkaConsumer<>(KafkaClientProps.restoreConsumer(options));
        }
        List<TopicPartition> one = List.of(tp);
        restoreConsumer.assign(one);
        try {
            restoreConsumer.seekToBeginning(one);
            long end = restoreConsumer.endOffsets(one, Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + options.restoreTimeout().toNanos();
            long n = 0;
            while (restoreConsumer.position(tp, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new RetriableProcessingException("restoring " + tp + " did not reach offset " + end
                            + " within " + options.restoreTimeout());
                }
                for (ConsumerRecord<byte[], byte[]> r : restoreConsumer.poll(Duration.ofMillis(100))) {
                    if (r.offset() < end) {
                        sink.accept(r);
                        n++;
                    }
                }
            }
            metrics.restored(n);
            return n;
        } finally {
            restoreConsumer.assign(List.of());
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

    private void shutDownClients() {
        boolean interrupted = Thread.interrupted();
        if (transactionOpen) {
            try {
                producer.abortTransaction();
                metrics.aborted();
                LOG.info("{}: aborted the open transaction on shutdown", options.service());
            } catch (RuntimeException e) {
                LOG.warn("{}: abort on shutdown failed (the next owner's initTransactions aborts it): {}",
                        options.service(), e.toString());
            }
            transactionOpen = false;
        }
        unbindClientMetrics();
        closeQuietly(() -> producer.close(CLIENT_CLOSE), "producer");
        closeQuietly(() -> consumer.close(CloseOptions.timeout(CLIENT_CLOSE)), "consumer");
        if (restoreConsumer != null) {
            closeQuietly(() -> restoreConsumer.close(CloseOptions.timeout(CLIENT_CLOSE)), "restore consumer");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(Runnable close, String what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the {} failed: {}", options.service(), what, e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // poll() runs between transactions: nothing is open here, everything consumed is committed
            processor.onRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            processor.onRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                processor.onAssigned(partitions, TransactionalLoop.this::restore);
            }
        }
    }

    /** Internal marker: stop the loop with {@link #getCause()} as the failure. */
    private static final class FatalLoopException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalLoopException(Throwable cause) {
            super(cause);
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops the loop: the batch in flight finishes and commits (or aborts if it fails), then
     * the clients close. If the loop has not ended within {@code timeout}, its thread is
     * interrupted, which aborts the open transaction.
     *
     * @return true if the loop ended within the timeout (plus the interrupt grace period)
     */
    public boolean close(Duration timeout) {
        running = false;
        consumer.wakeup();
        try {
            if (finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warn("{}: loop did not stop within {}; interrupting it", options.service(), timeout);
            thread.interrupt();
            return finished.await(CLIENT_CLOSE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #close(Duration)} with the options' shutdown timeout. */
    @Override
    public void close() {
        close(options.shutdownTimeout());
    }
}
