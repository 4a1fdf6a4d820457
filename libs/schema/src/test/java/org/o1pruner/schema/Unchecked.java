package org.o1pruner.schema;

/** Encodes records without validating them, to test what decode does with invalid content. */
final class Unchecked {
    private Unchecked() {}

    static <T> byte[] encode(RecordCodec<T> codec, T record) {
        VersionedCodec<T> c = (VersionedCodec<T>) codec;
        WireWriter w = new WireWriter(256);
        w.header(c.recordType(), VersionedCodec.V1);
        c.writeV1(record, w);
        return w.toByteArray();
    }
}
