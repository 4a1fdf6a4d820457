package org.o1pruner.schema;

/**
 * Why a record went to the dead-letter topic. Bounded: the value doubles as the
 * {@link DeadLetterHeaders#REASON} header and as a metric tag.
 */
public enum DeadLetterReason {
    /** The bytes are not an encoded record of ours (bad magic, truncated, garbage). */
    UNDECODABLE,
    /** The record names a schema version this build cannot read. */
    UNSUPPORTED_VERSION,
    /** A record of another type than the topic carries. */
    WRONG_RECORD_TYPE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A count or length is negative, or an index is out of range. */
    NEGATIVE_OR_OUT_OF_RANGE,
    /** Two arrays that must have the same length do not (log-probs vs response tokens). */
    LENGTH_MISMATCH,
    /** A floating-point field is NaN or infinite. */
    NOT_FINITE,
    /** Any other validation failure. */
    INVALID,
    /** A group of K samples stayed incomplete past its timeout and policy said dead-letter. */
    GROUP_TIMEOUT,
    /** Processing threw an unexpected, non-retriable error for this record. */
    PROCESSING_FAILED;

    /** The header/tag value: lower-case with dashes. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
