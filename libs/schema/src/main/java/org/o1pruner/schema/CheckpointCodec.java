package org.o1pruner.schema;

import java.util.Map;

/** Wire format of {@link CheckpointRecord}; see {@code SCHEMAS.md}. Map entries are written in key order. */
final class CheckpointCodec extends VersionedCodec<CheckpointRecord> {
    CheckpointCodec() {
        super(RecordType.CHECKPOINT, CheckpointRecord.class);
    }

    @Override
    void validate(CheckpointRecord c) {
        c.validate();
    }

    @Override
    int sizeHint(CheckpointRecord c) {
        int size = 64 + chars(c.runId()) + chars(c.uri()) + chars(c.objective());
        for (Map.Entry<String, String> e : c.sha256ByFile().entrySet()) {
            size += chars(e.getKey()) + chars(e.getValue());
        }
        for (String key : c.metrics().keySet()) {
            size += chars(key) + 8;
        }
        return size;
    }

    @Override
    void writeV1(CheckpointRecord c, WireWriter w) {
        w.writeString(c.runId());
        w.writeLong(c.version());
        w.writeLong(c.step());
        w.writeString(c.uri());
        w.writeStringMap(c.sha256ByFile());
        w.writeLong(c.parentVersion());
        w.writeString(c.objective());
        w.writeDoubleMap(c.metrics());
        w.writeLong(c.createdAtMs());
    }

    @Override
    CheckpointRecord readV1(WireReader r) {
        return new CheckpointRecord(
                r.readString("runId"),
                r.readLong("version"),
                r.readLong("step"),
                r.readString("uri"),
                r.readStringMap("sha256ByFile"),
                r.readLong("parentVersion"),
                r.readString("objective"),
                r.readDoubleMap("metrics"),
                r.readLong("createdAtMs"));
    }
}
