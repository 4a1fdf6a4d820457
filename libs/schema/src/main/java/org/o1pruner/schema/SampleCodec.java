package org.o1pruner.schema;

/**
 * Wire format of {@link SampleRecord}; see {@code SCHEMAS.md}. The body is also
 * embedded in {@link ScoredCodec}'s records, hence the static body methods.
 */
final class SampleCodec extends VersionedCodec<SampleRecord> {
    SampleCodec() {
        super(RecordType.SAMPLE, SampleRecord.class);
    }

    @Override
    void validate(SampleRecord s) {
        s.validate();
    }

    @Override
    int sizeHint(SampleRecord s) {
        return 16 + bodySizeHint(s);
    }

    @Override
    void writeV1(SampleRecord s, WireWriter w) {
        writeBodyV1(s, w);
    }

    @Override
    SampleRecord readV1(WireReader r) {
        return readBodyV1(r);
    }

    static int bodySizeHint(SampleRecord s) {
        return 80 + chars(s.problemId()) + chars(s.dataset()) + chars(s.answer()) + chars(s.variant())
                + chars(s.text()) + ints(s.promptTokenIds()) + ints(s.responseTokenIds())
                + (s.logProbs() == null ? 4 : 4 + 4 * s.logProbs().length);
    }

    static void writeBodyV1(SampleRecord s, WireWriter w) {
        w.writeString(s.problemId());
        w.writeString(s.dataset());
        w.writeInt(s.round());
        w.writeLong(s.policyVersion());
        w.writeInt(s.sampleIndex());
        w.writeInt(s.k());
        w.writeString(s.answer());
        w.writeString(s.variant());
        w.writeInts(s.promptTokenIds());
        w.writeInts(s.responseTokenIds());
        w.writeFloats(s.logProbs());
        w.writeString(s.text());
        w.writeByte(s.finishReason().code());
        w.writeLong(s.generationMs());
        w.writeLong(s.createdAtMs());
    }

    static SampleRecord readBodyV1(WireReader r) {
        return new SampleRecord(
                r.readString("problemId"),
                r.readString("dataset"),
                r.readInt("round"),
                r.readLong("policyVersion"),
                r.readInt("sampleIndex"),
                r.readInt("k"),
                r.readString("answer"),
                r.readString("variant"),
                r.readInts("promptTokenIds"),
                r.readInts("responseTokenIds"),
                r.readFloats("logProbs"),
                r.readString("text"),
                FinishReason.fromCode(r.readByte("finishReason")),
                r.readLong("generationMs"),
                r.readLong("createdAtMs"));
    }

    private static int ints(int[] a) {
        return a == null ? 4 : 4 + 4 * a.length;
    }
}
