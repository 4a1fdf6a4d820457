package org.o1pruner.runtime;

import java.util.Objects;
import org.o1pruner.schema.DeadLetterReason;

/**
 * Thrown by a {@link StreamProcessor} for a record it will never be able to process (bad bytes,
 * failed validation). The {@link TransactionalLoop} sends the original record to the dead-letter
 * topic with the reason and detail as headers, inside the running transaction, and carries on.
 * Retrying would not help, so this is neither retriable nor fatal.
 */
public class RecordRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final DeadLetterReason reason;

    public RecordRejectedException(DeadLetterReason reason, String detail) {
        this(reason, detail, null);
    }

    public RecordRejectedException(DeadLetterReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
