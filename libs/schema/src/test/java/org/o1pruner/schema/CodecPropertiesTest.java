package org.o1pruner.schema;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Round trips of arbitrary valid records, and robustness of decode against damaged bytes. */
class CodecPropertiesTest {

    // ---- round trips: decode(encode(r)) == r, and encoding is deterministic ----

    @Property(tries = 300)
    void promptsRoundTrip(@ForAll("prompts") PromptRecord p) {
        assertRoundTrip(Codecs.PROMPT, p);
    }

    @Property(tries = 200)
    void samplesRoundTrip(@ForAll("largeSamples") SampleRecord s) {
        assertRoundTrip(Codecs.SAMPLE, s);
    }

    @Property(tries = 200)
    void scoredRoundTrip(@ForAll("scored") ScoredRecord s) {
        assertRoundTrip(Codecs.SCORED, s);
    }

    @Property(tries = 300)
    void checkpointsRoundTrip(@ForAll("checkpoints") CheckpointRecord c) {
        assertRoundTrip(Codecs.CHECKPOINT, c);
    }

    @Property(tries = 300)
    void evalsRoundTrip(@ForAll("evals") EvalRecord e) {
        assertRoundTrip(Codecs.EVAL, e);
    }

    private static <T> void assertRoundTrip(RecordCodec<T> codec, T record) {
        byte[] bytes = codec.encode(record);
        T back = codec.decode(bytes);
        assertEquals(record, back);
        assertEquals(record.hashCode(), back.hashCode());
        assertArrayEquals(bytes, codec.encode(back), "re-encoding must give the same bytes");
        assertEquals(codec.recordType(), Codecs.peekType(bytes));
    }

    // ---- damage: truncation, trailing bytes, bit flips, garbage ----

    @Property(tries = 40)
    void everyStrictPrefixIsUndecodable(@ForAll("anySmallRecord") Encoded e) {
        for (int len = 0; len < e.bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(e.bytes, len);
            RecordException ex = assertThrows(RecordException.class, () -> e.codec.decode(prefix),
                    "prefix of " + len + " of " + e.bytes.length + " bytes");
            assertEquals(DeadLetterReason.UNDECODABLE, ex.reason(), ex.getMessage());
        }
    }

    @Property(tries = 100)
    void trailingBytesAreUndecodable(@ForAll("anySmallRecord") Encoded e,
                                     @ForAll @Size(min = 1, max = 16) List<Byte> extra) {
        byte[] longer = Arrays.copyOf(e.bytes, e.bytes.length + extra.size());
        for (int i = 0; i < extra.size(); i++) {
            longer[e.bytes.length + i] = extra.get(i);
        }
        RecordException ex = assertThrows(RecordException.class, () -> e.codec.decode(longer));
        assertEquals(DeadLetterReason.UNDECODABLE, ex.reason());
    }

    @Property(tries = 1000)
    void bitFlipsNeverThrowAnythingButRecordException(@ForAll("anySmallRecord") Encoded e,
                                                      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> bits) {
        byte[] damaged = e.bytes.clone();
        for (int b : bits) {
            int bit = b % (damaged.length * 8);
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        decodeOrRecordException(e.codec, damaged);
    }

    @Property(tries = 1000)
    void garbageNeverThrowsAnythingButRecordException(@ForAll("codecs") RecordCodec<?> codec,
                                                      @ForAll @Size(max = 200) List<Byte> body,
                                                      @ForAll boolean withValidHeader) {
        byte[] bytes = new byte[body.size() + (withValidHeader ? Wire.HEADER_BYTES : 0)];
        int off = 0;
        if (withValidHeader) {
            bytes[0] = Wire.MARKER_0;
            bytes[1] = Wire.MARKER_1;
            bytes[2] = codec.recordType().code();
            bytes[3] = 0;
            bytes[4] = 1;
            off = Wire.HEADER_BYTES;
        }
        for (int i = 0; i < body.size(); i++) {
            bytes[off + i] = body.get(i);
        }
        decodeOrRecordException(codec, bytes);
    }

    /** A damaged record may still decode (a flipped bit in a timestamp); if so it is valid. */
    private static void decodeOrRecordException(RecordCodec<?> codec, byte[] bytes) {
        try {
            Object r = codec.decode(bytes);
            Codecs.forType(codec.recordType());
            assertEquals(codec.recordClass(), r.getClass());
        } catch (RecordException expected) {
            assertEquals(true, expected.getMessage().length() <= RecordException.MAX_DETAIL_CHARS);
        }
    }

    // ---- header: versions and types ----

    @Property(tries = 300)
    void everyOtherVersionIsUnsupported(@ForAll("anySmallRecord") Encoded e,
                                        @ForAll @IntRange(min = 0, max = 0xFFFF) int version) {
        if (version == 1) {
            return;
        }
        byte[] bytes = e.bytes.clone();
        bytes[3] = (byte) (version >>> 8);
        bytes[4] = (byte) version;
        RecordException ex = assertThrows(RecordException.class, () -> e.codec.decode(bytes));
        assertEquals(DeadLetterReason.UNSUPPORTED_VERSION, ex.reason());
    }

    @Property(tries = 200)
    void aRecordOfAnotherTypeIsWrongType(@ForAll("anySmallRecord") Encoded e, @ForAll("codecs") RecordCodec<?> other) {
        if (other == e.codec) {
            return;
        }
        RecordException ex = assertThrows(RecordException.class, () -> other.decode(e.bytes));
        assertEquals(DeadLetterReason.WRONG_RECORD_TYPE, ex.reason());
    }

    @Property(tries = 200)
    void anUnknownTypeOrBadMarkerIsUndecodable(@ForAll("anySmallRecord") Encoded e,
                                               @ForAll @IntRange(min = 0, max = 2) int position,
                                               @ForAll byte value) {
        byte[] bytes = e.bytes.clone();
        if (position == 2 && RecordType.fromCodeOrNull(value) != null) {
            return;
        }
        if (position < 2 && value == bytes[position]) {
            return;
        }
        bytes[position] = value;
        RecordException ex = assertThrows(RecordException.class, () -> e.codec.decode(bytes));
        assertEquals(DeadLetterReason.UNDECODABLE, ex.reason());
    }

    // ---- generators ----

    record Encoded(RecordCodec<Object> codec, byte[] bytes) {
        @Override
        public String toString() {
            return codec.recordType() + "(" + bytes.length + " bytes)";
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Arbitrary<Encoded> encoded(RecordCodec<T> codec, Arbitrary<T> records) {
        return records.map(r -> new Encoded((RecordCodec<Object>) codec, codec.encode(r)));
    }

    @Provide
    Arbitrary<Encoded> anySmallRecord() {
        return Arbitraries.oneOf(
                encoded(Codecs.PROMPT, RecordArbitraries.prompts()),
                encoded(Codecs.SAMPLE, RecordArbitraries.samples(24)),
                encoded(Codecs.SCORED, RecordArbitraries.scored(24)),
                encoded(Codecs.CHECKPOINT, RecordArbitraries.checkpoints()),
                encoded(Codecs.EVAL, RecordArbitraries.evals()));
    }

    @Provide
    Arbitrary<RecordCodec<?>> codecs() {
        return Arbitraries.of(Codecs.PROMPT, Codecs.SAMPLE, Codecs.SCORED, Codecs.CHECKPOINT, Codecs.EVAL);
    }

    @Provide
    Arbitrary<PromptRecord> prompts() {
        return RecordArbitraries.prompts();
    }

    @Provide
    Arbitrary<SampleRecord> largeSamples() {
        return RecordArbitraries.samples(3000);
    }

    @Provide
    Arbitrary<ScoredRecord> scored() {
        return RecordArbitraries.scored(3000);
    }

    @Provide
    Arbitrary<CheckpointRecord> checkpoints() {
        return RecordArbitraries.checkpoints();
    }

    @Provide
    Arbitrary<EvalRecord> evals() {
        return RecordArbitraries.evals();
    }
}
