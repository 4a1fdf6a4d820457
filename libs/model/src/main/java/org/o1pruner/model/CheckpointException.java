package org.o1pruner.model;

/**
 * A checkpoint or model directory is unusable: a file is missing, truncated, fails its manifest
 * checksum, or holds tensors that do not fit the configuration. The message names the file.
 */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
