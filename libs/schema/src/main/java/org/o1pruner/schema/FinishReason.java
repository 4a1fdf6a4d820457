package org.o1pruner.schema;

/**
 * Why generation of a response stopped. It decides how the response length L(y)
 * is counted (see {@link SampleRecord#length()}).
 *
 * <p>Each constant has a fixed one-byte wire code; the ordinal is never written,
 * so constants may be reordered but codes must never be reused.
 */
public enum FinishReason {
    /**
     * The last response token is the end-of-sequence token. It is part of
     * {@code responseTokenIds} (it has a log-prob) but is excluded from L.
     */
    EOS((byte) 0),
    /** A stop string ended the response; every generated token counts toward L. */
    STOP_STRING((byte) 1),
    /** The max-new-tokens limit was hit; every generated token counts toward L. */
    LENGTH((byte) 2);

    private final byte code;

    FinishReason(byte code) {
        this.code = code;
    }

    /** The one-byte wire code. */
    public byte code() {
        return code;
    }

    /**
     * The constant with this wire code.
     *
     * @throws RecordException {@link DeadLetterReason#UNDECODABLE} for an unknown code
     */
    public static FinishReason fromCode(byte code) {
        for (FinishReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new RecordException(DeadLetterReason.UNDECODABLE, "unknown finish reason code " + code);
    }
}
