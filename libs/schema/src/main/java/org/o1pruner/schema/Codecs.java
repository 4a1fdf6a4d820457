package org.o1pruner.schema;

import java.util.Objects;

/**
 * The codec of every record type, and which codec each topic carries. Codecs are
 * stateless singletons, safe to share between threads.
 */
public final class Codecs {
    /** {@link PromptRecord} on {@link Topics#PROMPTS}. */
    public static final RecordCodec<PromptRecord> PROMPT = new PromptCodec();
    /** {@link SampleRecord} on {@link Topics#SAMPLES}. */
    public static final RecordCodec<SampleRecord> SAMPLE = new SampleCodec();
    /** {@link ScoredRecord} on {@link Topics#SCORED}. */
    public static final RecordCodec<ScoredRecord> SCORED = new ScoredCodec();
    /** {@link CheckpointRecord} on {@link Topics#CHECKPOINTS}. */
    public static final RecordCodec<CheckpointRecord> CHECKPOINT = new CheckpointCodec();
    /** {@link EvalRecord} on {@link Topics#EVALS}. */
    public static final RecordCodec<EvalRecord> EVAL = new EvalCodec();

    private Codecs() {}

    /**
     * The codec of the records on a topic.
     *
     * @throws IllegalArgumentException for the dead-letter topic (it carries other
     *     topics' raw bytes) or a topic that is not one of {@link Topics}
     */
    public static RecordCodec<?> forTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        return switch (topic) {
            case Topics.PROMPTS -> PROMPT;
            case Topics.SAMPLES -> SAMPLE;
            case Topics.SCORED -> SCORED;
            case Topics.CHECKPOINTS -> CHECKPOINT;
            case Topics.EVALS -> EVAL;
            case Topics.DEAD_LETTER -> throw new IllegalArgumentException(
                    "topic " + topic + " carries the raw bytes of other topics; decode them with the source topic's codec");
            default -> throw new IllegalArgumentException("unknown topic '" + topic + "'; known: " + Topics.ALL);
        };
    }

    /** The codec of a record type. */
    public static RecordCodec<?> forType(RecordType type) {
        return switch (Objects.requireNonNull(type, "type")) {
            case PROMPT -> PROMPT;
            case SAMPLE -> SAMPLE;
            case SCORED -> SCORED;
            case CHECKPOINT -> CHECKPOINT;
            case EVAL -> EVAL;
        };
    }

    /**
     * Reads only the header: the record type of encoded bytes, for tools that must
     * route or describe records of unknown kind (e.g. a dead-letter inspector).
     *
     * @throws RecordException {@link DeadLetterReason#UNDECODABLE} when the bytes have no
     *     valid header or name an unknown type
     */
    public static RecordType peekType(byte[] bytes) {
        if (bytes == null || bytes.length < Wire.HEADER_BYTES
                || bytes[0] != Wire.MARKER_0 || bytes[1] != Wire.MARKER_1) {
            throw new RecordException(DeadLetterReason.UNDECODABLE, "no record header");
        }
        RecordType type = RecordType.fromCodeOrNull(bytes[2]);
        if (type == null) {
            throw new RecordException(DeadLetterReason.UNDECODABLE,
                    String.format("unknown record type 0x%02X", bytes[2] & 0xFF));
        }
        return type;
    }
}
