package org.o1pruner.runtime;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The service-specific part of a consume-transform-produce hop, driven by a
 * {@link TransactionalLoop} on the loop's one thread (so an implementation needs no locking).
 *
 * <p>Contract, in the order the loop calls it:
 * <ol>
 *   <li>{@link #onAssigned} when input partitions arrive: rebuild their state (e.g. from a
 *       co-partitioned compacted changelog through the {@link StateRestorer});</li>
 *   <li>{@link #process} per record, emitting zero or more records; throw
 *       {@link RecordRejectedException} (or a schema {@code RecordException}) to dead-letter the
 *       record, {@link RetriableProcessingException} to retry the batch,
 *       {@link FatalProcessingException} to stop; any other runtime exception dead-letters the
 *       record as {@code PROCESSING_FAILED}. Validate before mutating state: the loop cannot undo
 *       a half-applied record other than by {@link #onAbort};</li>
 *   <li>{@link #punctuate} every flush interval, in the same transaction as that poll's batch;</li>
 *   <li>{@link #onAbort} after a transaction was aborted: drop all in-memory state (it may hold
 *       effects of aborted records); the loop rewinds to the committed offsets and calls
 *       {@link #onAssigned} again with the whole current assignment;</li>
 *   <li>{@link #onRevoked} when partitions leave (no transaction is open then): drop their state.</li>
 * </ol>
 */
public interface StreamProcessor {

    void process(ConsumerRecord<byte[], byte[]> record, Emitter out);

    /** Time-driven work (group timeouts); {@code nowMs} comes from the loop's injected clock. */
    default void punctuate(long nowMs, Emitter out) {
    }

    default void onAssigned(Collection<TopicPartition> partitions, StateRestorer restorer) {
    }

    default void onRevoked(Collection<TopicPartition> partitions) {
    }

    /** Drop every piece of in-memory state; a restore of the current assignment follows. */
    default void onAbort() {
    }
}
