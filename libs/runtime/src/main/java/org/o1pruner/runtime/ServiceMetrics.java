package org.o1pruner.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.o1pruner.schema.DeadLetterReason;

/**
 * Base of each service's one {@code <Service>Metrics} class (STYLE.md habit 8): it holds the
 * registry and the service name, builds names with {@link MetricNames}, and owns the one metric
 * every service has, {@code o1p.<service>.dead.letters} tagged {@code reason} (a
 * {@link DeadLetterReason#tag()}). The {@link TransactionalLoop} increments it for every record
 * it dead-letters, so services must not count those again.
 */
public abstract class ServiceMetrics {
    /** Noun of the dead-letter counter. */
    public static final String DEAD_LETTERS = "dead.letters";
    /** Tag key of the dead-letter reason. */
    public static final String REASON_TAG = "reason";

    private final MeterRegistry registry;
    private final String service;
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);

    protected ServiceMetrics(MeterRegistry registry, String service) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.service = Objects.requireNonNull(service, "service");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder(name(DEAD_LETTERS))
                    .description("records sent to the dead-letter topic")
                    .tag(REASON_TAG, reason.tag())
                    .register(registry));
        }
    }

    /** {@code o1p.<service>.<noun>}. */
    protected final String name(String noun) {
        return MetricNames.name(service, noun);
    }

    public final MeterRegistry registry() {
        return registry;
    }

    public final String service() {
        return service;
    }

    /** Counts one dead-lettered record. */
    public final void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    /** Dead letters so far for one reason (tests, logs). */
    public final double deadLetters(DeadLetterReason reason) {
        return deadLetters.get(reason).count();
    }
}
