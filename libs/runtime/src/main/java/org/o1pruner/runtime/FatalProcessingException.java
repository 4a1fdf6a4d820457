package org.o1pruner.runtime;

/**
 * A failure after which the processor cannot go on (corrupt state, a model that no longer
 * matches): the loop aborts the open transaction, stops and reports not ready, so that the
 * orchestrator restarts the service.
 */
public class FatalProcessingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FatalProcessingException(String message) {
        super(message);
    }

    public FatalProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
