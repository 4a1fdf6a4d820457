package org.o1pruner.schema;

/**
 * Wire format of {@link ScoredRecord}; see {@code SCHEMAS.md}. Version 1 embeds the
 * sample's version-1 body (no header of its own): a new sample layout means a new
 * scored version too.
 */
final class ScoredCodec extends VersionedCodec<ScoredRecord> {
    ScoredCodec() {
        super(RecordType.SCORED, ScoredRecord.class);
    }

    @Override
    void validate(ScoredRecord s) {
        s.validate();
    }

    @Override
    int sizeHint(ScoredRecord s) {
        return 80 + chars(s.extractedAnswer()) + SampleCodec.bodySizeHint(s.sample());
    }

    @Override
    void writeV1(ScoredRecord s, WireWriter w) {
        SampleCodec.writeBodyV1(s.sample(), w);
        w.writeBoolean(s.correct());
        w.writeString(s.extractedAnswer());
        w.writeInt(s.length());
        w.writeDouble(s.meanLengthRef());
        w.writeDouble(s.meanAccuracyRef());
        w.writeInt(s.groupSize());
        w.writeDouble(s.rawReward());
        w.writeDouble(s.lambda());
        w.writeBoolean(s.incompleteGroup());
        w.writeBoolean(s.gradingTimedOut());
        w.writeLong(s.scoredAtMs());
    }

    @Override
    ScoredRecord readV1(WireReader r) {
        return new ScoredRecord(
                SampleCodec.readBodyV1(r),
                r.readBoolean("correct"),
                r.readString("extractedAnswer"),
                r.readInt("length"),
                r.readDouble("meanLengthRef"),
                r.readDouble("meanAccuracyRef"),
                r.readInt("groupSize"),
                r.readDouble("rawReward"),
                r.readDouble("lambda"),
                r.readBoolean("incompleteGroup"),
                r.readBoolean("gradingTimedOut"),
                r.readLong("scoredAtMs"));
    }
}
