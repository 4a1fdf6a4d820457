package org.o1pruner.schema;

import static org.o1pruner.schema.DeadLetterReason.UNDECODABLE;
import static org.o1pruner.schema.DeadLetterReason.UNSUPPORTED_VERSION;
import static org.o1pruner.schema.DeadLetterReason.WRONG_RECORD_TYPE;

/**
 * The header handling shared by every codec: marker, record type, and the
 * explicit version switch; subclasses write and read the fields.
 */
abstract class VersionedCodec<T> implements RecordCodec<T> {
    /** The only schema version so far. */
    static final int V1 = 1;

    private final RecordType type;
    private final Class<T> recordClass;

    VersionedCodec(RecordType type, Class<T> recordClass) {
        this.type = type;
        this.recordClass = recordClass;
    }

    @Override
    public final byte[] encode(T record) {
        if (record == null) {
            throw new RecordException(DeadLetterReason.MISSING_FIELD, "cannot encode a null " + recordClass.getSimpleName());
        }
        validate(record);
        WireWriter w = new WireWriter(sizeHint(record));
        w.header(type, V1);
        writeV1(record, w);
        return w.toByteArray();
    }

    @Override
    public final T decode(byte[] bytes) {
        if (bytes == null) {
            throw new RecordException(UNDECODABLE, "null value");
        }
        if (bytes.length < Wire.HEADER_BYTES) {
            throw new RecordException(UNDECODABLE, "only " + bytes.length + " bytes, shorter than the header");
        }
        if (bytes[0] != Wire.MARKER_0 || bytes[1] != Wire.MARKER_1) {
            throw new RecordException(UNDECODABLE, String.format("bad marker 0x%02X 0x%02X", bytes[0] & 0xFF, bytes[1] & 0xFF));
        }
        if (bytes[2] != type.code()) {
            RecordType other = RecordType.fromCodeOrNull(bytes[2]);
            if (other == null) {
                throw new RecordException(UNDECODABLE, String.format("unknown record type 0x%02X", bytes[2] & 0xFF));
            }
            throw new RecordException(WRONG_RECORD_TYPE, "expected " + type + ", got " + other);
        }
        int version = ((bytes[3] & 0xFF) << 8) | (bytes[4] & 0xFF);
        WireReader r = new WireReader(bytes, Wire.HEADER_BYTES);
        T record;
        switch (version) {
            case V1 -> record = readV1(r);
            default -> throw new RecordException(UNSUPPORTED_VERSION,
                    type + " schema version " + version + " is not supported (this build reads " + V1 + ")");
        }
        r.end();
        validate(record);
        return record;
    }

    @Override
    public final RecordType recordType() {
        return type;
    }

    @Override
    public final int version() {
        return V1;
    }

    @Override
    public final Class<T> recordClass() {
        return recordClass;
    }

    abstract void validate(T record);

    abstract int sizeHint(T record);

    abstract void writeV1(T record, WireWriter w);

    abstract T readV1(WireReader r);

    static int chars(String s) {
        return s == null ? 4 : 4 + s.length() * 3;
    }
}
