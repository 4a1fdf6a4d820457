package org.o1pruner.schema;

import java.util.Objects;

/**
 * A record that cannot be encoded, decoded or accepted, with a bounded reason.
 *
 * <p>The {@link #reason()} is one value of a small enum so that it can become the
 * dead-letter header and a metric tag as it is; the message is a human-readable
 * detail, truncated to {@link #MAX_DETAIL_CHARS} characters so that a hostile or
 * corrupt record cannot blow up a header or a log line.
 */
public final class RecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Longest detail message kept; longer ones are cut and end with an ellipsis. */
    public static final int MAX_DETAIL_CHARS = 300;

    private final DeadLetterReason reason;

    /**
     * @param reason why the record was rejected (never null)
     * @param detail what exactly was wrong; truncated to {@link #MAX_DETAIL_CHARS}
     */
    public RecordException(DeadLetterReason reason, String detail) {
        this(reason, detail, null);
    }

    /**
     * @param reason why the record was rejected (never null)
     * @param detail what exactly was wrong; truncated to {@link #MAX_DETAIL_CHARS}
     * @param cause  the low-level failure, if any
     */
    public RecordException(DeadLetterReason reason, String detail, Throwable cause) {
        super(bound(detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The bounded reason: use {@link DeadLetterReason#tag()} for headers and metrics. */
    public DeadLetterReason reason() {
        return reason;
    }

    private static String bound(String detail) {
        if (detail == null) {
            return "";
        }
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        return detail.substring(0, MAX_DETAIL_CHARS - 1) + "\u2026";
    }
}
