package org.o1pruner.schema;

/** Wire format of {@link EvalRecord}; see {@code SCHEMAS.md}. */
final class EvalCodec extends VersionedCodec<EvalRecord> {
    EvalCodec() {
        super(RecordType.EVAL, EvalRecord.class);
    }

    @Override
    void validate(EvalRecord e) {
        e.validate();
    }

    @Override
    int sizeHint(EvalRecord e) {
        return 96 + chars(e.runId()) + chars(e.dataset()) + chars(e.decoding());
    }

    @Override
    void writeV1(EvalRecord e, WireWriter w) {
        w.writeString(e.runId());
        w.writeLong(e.version());
        w.writeString(e.dataset());
        w.writeString(e.decoding());
        w.writeInt(e.n());
        w.writeInt(e.correct());
        w.writeDouble(e.accuracy());
        w.writeDouble(e.accuracyLow95());
        w.writeDouble(e.accuracyHigh95());
        w.writeDouble(e.meanLength());
        w.writeDouble(e.aes());
        w.writeDouble(e.aesPaper());
        w.writeBoolean(e.baseline());
        w.writeBoolean(e.promoted());
        w.writeLong(e.createdAtMs());
    }

    @Override
    EvalRecord readV1(WireReader r) {
        return new EvalRecord(
                r.readString("runId"),
                r.readLong("version"),
                r.readString("dataset"),
                r.readString("decoding"),
                r.readInt("n"),
                r.readInt("correct"),
                r.readDouble("accuracy"),
                r.readDouble("accuracyLow95"),
                r.readDouble("accuracyHigh95"),
                r.readDouble("meanLength"),
                r.readDouble("aes"),
                r.readDouble("aesPaper"),
                r.readBoolean("baseline"),
                r.readBoolean("promoted"),
                r.readLong("createdAtMs"));
    }
}
