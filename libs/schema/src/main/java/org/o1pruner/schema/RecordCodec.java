package org.o1pruner.schema;

/**
 * Turns one kind of record into bytes and back, in the versioned wire format of
 * {@code SCHEMAS.md}. Instances are stateless and thread-safe; get them from
 * {@link Codecs}.
 *
 * @param <T> the record type
 */
public interface RecordCodec<T> {

    /**
     * Validates the record, then encodes it at the {@link #version() current version}.
     *
     * @throws RecordException if the record is invalid (the reason says why)
     */
    byte[] encode(T record);

    /**
     * Decodes bytes written by any supported version of this codec, then validates
     * the result. Never throws anything but {@link RecordException} for bad input.
     *
     * @throws RecordException {@link DeadLetterReason#UNDECODABLE} for bytes that are not
     *     a well-formed record (bad marker, truncated, trailing bytes, bad UTF-8…),
     *     {@link DeadLetterReason#WRONG_RECORD_TYPE} for a record of another type,
     *     {@link DeadLetterReason#UNSUPPORTED_VERSION} for an unknown schema version,
     *     or a validation reason for a well-formed but invalid record
     */
    T decode(byte[] bytes);

    /** The record type byte this codec writes and accepts. */
    RecordType recordType();

    /** The schema version {@link #encode} writes. */
    int version();

    /** The Java class of the records. */
    Class<T> recordClass();
}
