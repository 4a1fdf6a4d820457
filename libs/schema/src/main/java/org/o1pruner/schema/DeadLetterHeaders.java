package org.o1pruner.schema;

/**
 * Header names on a dead-letter record. The record's key and value are the original
 * bytes, untouched; these headers say where it came from and why it was rejected.
 */
public final class DeadLetterHeaders {
    /** {@link DeadLetterReason#tag()} of the failure. */
    public static final String REASON = "o1p.dlq.reason";
    /** Free-text detail (bounded to a few hundred characters). */
    public static final String DETAIL = "o1p.dlq.detail";
    /** The topic the record was read from. */
    public static final String SOURCE_TOPIC = "o1p.dlq.topic";
    /** The partition it was read from (decimal string). */
    public static final String SOURCE_PARTITION = "o1p.dlq.partition";
    /** The offset it was read from (decimal string). */
    public static final String SOURCE_OFFSET = "o1p.dlq.offset";
    /** The service that rejected it. */
    public static final String SERVICE = "o1p.dlq.service";

    private DeadLetterHeaders() {}
}
