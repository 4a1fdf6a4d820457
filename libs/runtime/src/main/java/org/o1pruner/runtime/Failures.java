package org.o1pruner.runtime;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts a loop failure into retriable (abort, rewind, restore, retry) or fatal (stop, not
 * ready). Pure. A fatal exception anywhere in the cause chain makes the whole failure fatal: a
 * fenced producer is often reported wrapped in a generic {@link KafkaException}.
 */
public final class Failures {
    /** What the loop does about a failure. */
    public enum Kind { RETRIABLE, FATAL }

    private Failures() {}

    public static Kind classify(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (isFatal(t)) {
                return Kind.FATAL;
            }
        }
        if (failure instanceof Error) {
            return Kind.FATAL;
        }
        // Retriable Kafka errors, aborted transactions, stale consumer generations, processor
        // hiccups, and other Kafka errors that leave the producer in an unknown state (the loop
        // recreates it); bounded by the loop's consecutive-failure limit.
        return Kind.RETRIABLE;
    }

    /** Whether {@code t} alone is a known retriable condition (for metrics and logs). */
    public static boolean isKnownRetriable(Throwable t) {
        return t instanceof RetriableException || t instanceof TransactionAbortableException
                || t instanceof CommitFailedException || t instanceof RetriableProcessingException;
    }

    private static boolean isFatal(Throwable t) {
        return t instanceof ProducerFencedException
                || t instanceof FencedInstanceIdException
                || t instanceof AuthenticationException
                || t instanceof AuthorizationException
                || t instanceof UnsupportedVersionException
                || t instanceof InvalidTxnTimeoutException
                || t instanceof org.apache.kafka.common.config.ConfigException
                || t instanceof FatalProcessingException
                || t instanceof VirtualMachineError;
    }
}
