package org.o1pruner.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.EvalRecord;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.RecordCodec;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.schema.Topics;

/**
 * JSON Lines form of the wire records for the operator tools: each record is a JSON
 * object whose fields are the record's component names (arrays as JSON arrays, enums
 * by name, nested records as objects). The bytes on Kafka are always the topic's
 * binary codec; JSON is only the human side.
 */
final class RecordJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private RecordJson() {}

    /**
     * The full topic name for a name given on the command line: either the topic itself
     * ({@code o1p.scored}) or its short form ({@code scored}).
     *
     * @throws IllegalArgumentException for an unknown topic
     */
    static String topic(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (String t : Topics.ALL) {
            if (t.equals(n) || t.equals("o1p." + n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic '" + name + "'; known: " + Topics.ALL);
    }

    /** Parses one JSON line into the record type of {@code codec}. */
    static <T> T read(String line, RecordCodec<T> codec) throws JsonProcessingException {
        return MAPPER.readValue(line, codec.recordClass());
    }

    /** One record as a single JSON line. */
    static String write(Object record) throws JsonProcessingException {
        return MAPPER.writeValueAsString(record);
    }

    /** The Kafka key of a record (problem id or run id, per {@link Keys}). */
    static byte[] key(Object record) {
        if (record instanceof PromptRecord r) {
            return Keys.of(r);
        } else if (record instanceof SampleRecord r) {
            return Keys.of(r);
        } else if (record instanceof ScoredRecord r) {
            return Keys.of(r);
        } else if (record instanceof CheckpointRecord r) {
            return Keys.of(r);
        } else if (record instanceof EvalRecord r) {
            return Keys.of(r);
        }
        throw new IllegalArgumentException("not a wire record: " + record.getClass().getName());
    }

    /** The codec of a data topic, typed as Object for generic tools. */
    @SuppressWarnings("unchecked")
    static RecordCodec<Object> codec(String topic) {
        return (RecordCodec<Object>) Codecs.forTopic(topic);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
