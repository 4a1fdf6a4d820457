package org.o1pruner.schema;

/**
 * The kinds of record on the wire, each with the fixed byte that identifies it in
 * the encoded header (see {@code SCHEMAS.md}). Codes are never reused.
 */
public enum RecordType {
    /** {@link PromptRecord}. */
    PROMPT((byte) 0x01),
    /** {@link SampleRecord}. */
    SAMPLE((byte) 0x02),
    /** {@link ScoredRecord}. */
    SCORED((byte) 0x03),
    /** {@link CheckpointRecord}. */
    CHECKPOINT((byte) 0x04),
    /** {@link EvalRecord}. */
    EVAL((byte) 0x05);

    private final byte code;

    RecordType(byte code) {
        this.code = code;
    }

    /** The header byte. */
    public byte code() {
        return code;
    }

    /** The type with this header byte, or null when no type has it. */
    static RecordType fromCodeOrNull(byte code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
