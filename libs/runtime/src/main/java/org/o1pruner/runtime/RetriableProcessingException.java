package org.o1pruner.runtime;

/**
 * A transient failure inside a {@link StreamProcessor} (a dependency briefly unavailable, a
 * timeout). The loop aborts the transaction, tells the processor to drop its in-memory state,
 * rewinds to the committed offsets, restores state and retries the batch after a back-off.
 */
public class RetriableProcessingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetriableProcessingException(String message) {
        super(message);
    }

    public RetriableProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
