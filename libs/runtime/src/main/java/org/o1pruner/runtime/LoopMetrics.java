package org.o1pruner.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transactional loop's own metrics, under the owning service's names:
 * {@code o1p.<service>.loop.records} (input records processed in committed transactions),
 * {@code o1p.<service>.loop.transactions} tagged {@code outcome=committed|aborted},
 * {@code o1p.<service>.loop.transaction.duration} (seconds), {@code o1p.<service>.loop.restored.records},
 * {@code o1p.<service>.loop.running} (1 while processing), and the dead-letter counter of
 * {@link ServiceMetrics}.
 */
public final class LoopMetrics extends ServiceMetrics {
    private final Counter records;
    private final Counter committed;
    private final Counter aborted;
    private final Counter restored;
    private final Timer duration;
    private final AtomicInteger running = new AtomicInteger();

    public LoopMetrics(MeterRegistry registry, String service) {
        super(registry, service);
        records = Counter.builder(name("loop.records")).description("input records in committed transactions").register(registry);
        committed = Counter.builder(name("loop.transactions")).tag("outcome", "committed").register(registry);
        aborted = Counter.builder(name("loop.transactions")).tag("outcome", "aborted").register(registry);
        restored = Counter.builder(name("loop.restored.records")).description("records read back to restore state").register(registry);
        duration = Timer.builder(name("loop.transaction.duration")).description("begin to commit of one transaction").register(registry);
        registry.gauge(name("loop.running"), running);
    }

    void committed(int inputRecords, long nanos) {
        committed.increment();
        records.increment(inputRecords);
        duration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void aborted() {
        aborted.increment();
    }

    void restored(long n) {
        restored.increment(n);
    }

    void running(boolean isRunning) {
        running.set(isRunning ? 1 : 0);
    }

    public double committedTransactions() {
        return committed.count();
    }

    public double abortedTransactions() {
        return aborted.count();
    }
}
