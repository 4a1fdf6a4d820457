package org.o1pruner.schema;

/** Wire format of {@link PromptRecord}; see {@code SCHEMAS.md}. */
final class PromptCodec extends VersionedCodec<PromptRecord> {
    PromptCodec() {
        super(RecordType.PROMPT, PromptRecord.class);
    }

    @Override
    void validate(PromptRecord p) {
        p.validate();
    }

    @Override
    int sizeHint(PromptRecord p) {
        return 64 + chars(p.problemId()) + chars(p.dataset()) + chars(p.split()) + chars(p.problem())
                + chars(p.answer()) + chars(p.variant());
    }

    @Override
    void writeV1(PromptRecord p, WireWriter w) {
        w.writeString(p.problemId());
        w.writeString(p.dataset());
        w.writeString(p.split());
        w.writeString(p.problem());
        w.writeString(p.answer());
        w.writeInt(p.k());
        w.writeInt(p.round());
        w.writeLong(p.policyVersion());
        w.writeString(p.variant());
        w.writeLong(p.createdAtMs());
    }

    @Override
    PromptRecord readV1(WireReader r) {
        return new PromptRecord(
                r.readString("problemId"),
                r.readString("dataset"),
                r.readString("split"),
                r.readString("problem"),
                r.readString("answer"),
                r.readInt("k"),
                r.readInt("round"),
                r.readLong("policyVersion"),
                r.readString("variant"),
                r.readLong("createdAtMs"));
    }
}
