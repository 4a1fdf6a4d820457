package org.o1pruner.schema;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic routing, keys, derived values, immutability, sizes and error detail bounds. */
class SchemaApiTest {

    @Test
    void eachTopicHasItsCodec() {
        assertSame(Codecs.PROMPT, Codecs.forTopic(Topics.PROMPTS));
        assertSame(Codecs.SAMPLE, Codecs.forTopic(Topics.SAMPLES));
        assertSame(Codecs.SCORED, Codecs.forTopic(Topics.SCORED));
        assertSame(Codecs.CHECKPOINT, Codecs.forTopic(Topics.CHECKPOINTS));
        assertSame(Codecs.EVAL, Codecs.forTopic(Topics.EVALS));
        assertThrows(IllegalArgumentException.class, () -> Codecs.forTopic(Topics.DEAD_LETTER));
        assertThrows(IllegalArgumentException.class, () -> Codecs.forTopic("o1p.nope"));
        for (RecordType t : RecordType.values()) {
            assertEquals(t, Codecs.forType(t).recordType());
            assertEquals(1, Codecs.forType(t).version());
        }
    }

    @Test
    void recordTypeCodesAreDistinct() {
        assertEquals(RecordType.values().length,
                java.util.Arrays.stream(RecordType.values()).map(RecordType::code).distinct().count());
        assertEquals(FinishReason.values().length,
                java.util.Arrays.stream(FinishReason.values()).map(FinishReason::code).distinct().count());
        for (FinishReason r : FinishReason.values()) {
            assertEquals(r, FinishReason.fromCode(r.code()));
        }
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> FinishReason.fromCode((byte) 9)).reason());
    }

    @Test
    void peekTypeReadsOnlyTheHeader() {
        assertEquals(RecordType.EVAL, Codecs.peekType(Codecs.EVAL.encode(Fixtures.eval())));
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.peekType(new byte[] {1, 2})).reason());
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.peekType(null)).reason());
    }

    @Test
    void keysAreProblemIdsAndRunIds() {
        byte[] problem = "gsm8k-00001".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(problem, Keys.of(Fixtures.prompt()));
        assertArrayEquals(problem, Keys.of(Fixtures.sample()));
        assertArrayEquals(problem, Keys.of(Fixtures.scored()));
        assertArrayEquals(problem, Keys.forProblem("gsm8k-00001"));
        byte[] run = "run-1".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(run, Keys.of(Fixtures.checkpoint()));
        assertArrayEquals(run, Keys.of(Fixtures.eval()));
        assertArrayEquals(run, Keys.forRun("run-1"));
        assertEquals("math_train/algebra/ä", Keys.decode(Keys.forProblem("math_train/algebra/ä")));
    }

    @Test
    void lengthExcludesOnlyTheEosToken() {
        SampleRecord eos = Fixtures.sample();
        assertEquals(FinishReason.EOS, eos.finishReason());
        assertEquals(eos.responseTokenIds().length - 1, eos.length());
        for (FinishReason r : new FinishReason[] {FinishReason.STOP_STRING, FinishReason.LENGTH}) {
            SampleRecord s = new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", new int[] {1, 2},
                    new int[] {3, 4, 5}, new float[] {-1, -1, -1}, "t", r, 0, 0);
            assertEquals(3, s.length());
        }
    }

    @Test
    void groupKeyAndSampleId() {
        SampleRecord s = Fixtures.sample();
        assertEquals(new GroupKey("gsm8k-00001", 0, 0L), s.groupKey());
        assertEquals(new SampleId(new GroupKey("gsm8k-00001", 0, 0L), 3), s.sampleId());
        assertEquals(s.sampleId(), Fixtures.scored().sampleId());
        assertEquals(s.groupKey(), Fixtures.scored().groupKey());
        assertEquals("gsm8k-00001", Fixtures.scored().problemId());
    }

    @Test
    void sampleArraysAreCopiedOnConstructionAndComparedByContent() {
        int[] response = {7, 8, 9};
        float[] lp = {-1, -2, -3};
        SampleRecord s = new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", new int[0], response, lp, "t",
                FinishReason.LENGTH, 0, 0);
        SampleRecord same = new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", new int[0], response.clone(),
                lp.clone(), "t", FinishReason.LENGTH, 0, 0);
        response[0] = 99;
        lp[0] = -50;
        assertEquals(7, s.responseTokenIds()[0]);
        assertEquals(-1f, s.logProbs()[0]);
        assertEquals(same, s);
        assertEquals(same.hashCode(), s.hashCode());
        SampleRecord other = new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", new int[0], new int[] {7, 8, 10},
                new float[] {-1, -2, -3}, "t", FinishReason.LENGTH, 0, 0);
        assertNotEquals(same, other);
    }

    @Test
    void sampleToStringAbbreviatesLargeContent() {
        SampleRecord big = new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", new int[500], new int[2000],
                new float[2000], "x".repeat(10_000), FinishReason.LENGTH, 0, 0);
        String s = big.toString();
        assertTrue(s.length() < 600, s);
        assertTrue(s.contains("responseTokenIds=int[2000]"), s);
    }

    @Test
    void checkpointMapsAreSortedAndUnmodifiable() {
        Map<String, Double> metrics = new HashMap<>(Map.of("z", 1.0, "a", 2.0, "m", 3.0));
        CheckpointRecord c = new CheckpointRecord("r", 1, 0, "u", Map.of(), 0, "o", metrics, 0);
        metrics.put("b", 4.0);
        assertEquals(java.util.List.of("a", "m", "z"), java.util.List.copyOf(c.metrics().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.metrics().put("q", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> c.sha256ByFile().clear());
        // insertion order of the input does not change the bytes
        CheckpointRecord d = new CheckpointRecord("r", 1, 0, "u", Map.of(), 0, "o",
                Map.of("m", 3.0, "z", 1.0, "a", 2.0), 0);
        assertArrayEquals(Codecs.CHECKPOINT.encode(c), Codecs.CHECKPOINT.encode(d));
    }

    @Test
    void unpairedSurrogatesCannotBeEncoded() {
        PromptRecord p = new PromptRecord("x", "d", "s", "half a pair \uD83D", "a", 1, 0, 0, "default", 0);
        p.validate();
        assertEquals(DeadLetterReason.INVALID, assertThrows(RecordException.class, () -> Codecs.PROMPT.encode(p)).reason());
    }

    @Test
    void malformedUtf8IsUndecodable() {
        byte[] bytes = Codecs.PROMPT.encode(new PromptRecord("x", "d", "s", "pq", "a", 1, 0, 0, "default", 0));
        // problemId "x" sits right after the header and its 4-byte length
        assertEquals('x', bytes[9]);
        bytes[9] = (byte) 0xC0;
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.PROMPT.decode(bytes)).reason());
    }

    @Test
    void hugeDeclaredLengthsDoNotAllocate() {
        byte[] bytes = Codecs.PROMPT.encode(Fixtures.prompt());
        bytes[5] = 0x7F; // problemId length becomes ~2 GB
        RecordException e = assertThrows(RecordException.class, () -> Codecs.PROMPT.decode(bytes));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
    }

    @Test
    void nullInputs() {
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.SAMPLE.decode(null)).reason());
        assertEquals(DeadLetterReason.MISSING_FIELD,
                assertThrows(RecordException.class, () -> Codecs.SAMPLE.encode(null)).reason());
    }

    @Test
    void detailMessagesAreBounded() {
        RecordException e = new RecordException(DeadLetterReason.INVALID, "y".repeat(5000));
        assertEquals(RecordException.MAX_DETAIL_CHARS, e.getMessage().length());
        assertEquals("", new RecordException(DeadLetterReason.INVALID, null).getMessage());
        PromptRecord p = new PromptRecord("x", "d", "s", "p", "a", 1, 0, 0, "v".repeat(10_000), 0);
        RecordException v = assertThrows(RecordException.class, p::validate);
        assertTrue(v.getMessage().length() <= RecordException.MAX_DETAIL_CHARS);
    }

    // ---- encoded sizes: exactly the documented layout ----

    private static int utf8(String... strings) {
        int n = 0;
        for (String s : strings) {
            n += s.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    @Property(tries = 200)
    void sampleSizeIsTheDocumentedLayout(@ForAll("samples") SampleRecord s) {
        int expected = 74 + utf8(s.problemId(), s.dataset(), s.answer(), s.variant(), s.text())
                + 4 * s.promptTokenIds().length + 8 * s.responseTokenIds().length;
        assertEquals(expected, Codecs.SAMPLE.encode(s).length);
    }

    @Property(tries = 200)
    void promptSizeIsTheDocumentedLayout(@ForAll("prompts") PromptRecord p) {
        int expected = 53 + utf8(p.problemId(), p.dataset(), p.split(), p.problem(), p.answer(), p.variant());
        assertEquals(expected, Codecs.PROMPT.encode(p).length);
    }

    @Property(tries = 100)
    void scoredIsTheSampleBodyPlusFixedFields(@ForAll("scored") ScoredRecord s) {
        int extracted = s.extractedAnswer() == null ? 0 : utf8(s.extractedAnswer());
        assertEquals(Codecs.SAMPLE.encode(s.sample()).length + 55 + extracted, Codecs.SCORED.encode(s).length);
    }

    @Test
    void aTwoThousandTokenSampleIsAboutEightBytesPerToken() {
        int[] prompt = new int[200];
        int[] response = new int[2000];
        float[] lp = new float[2000];
        for (int i = 0; i < response.length; i++) {
            response[i] = 1000 + i;
            lp[i] = -0.1f * (i % 7);
        }
        SampleRecord s = new SampleRecord("math_train/algebra/17", "math_train", 0, 3, 5, 16, "42", "default",
                prompt, response, lp, "t".repeat(6000), FinishReason.EOS, 1234, 1);
        int size = Codecs.SAMPLE.encode(s).length;
        assertEquals(74 + utf8("math_train/algebra/17", "math_train", "42", "default") + 6000 + 800 + 16000, size);
        assertTrue(size < 24_000);
    }

    @Property(tries = 100)
    void evalSizeIsTheDocumentedLayout(@ForAll("evals") EvalRecord e) {
        assertEquals(91 + utf8(e.runId(), e.dataset(), e.decoding()), Codecs.EVAL.encode(e).length);
    }

    @Test
    void duplicateOrNullMapKeysAreUndecodable() {
        CheckpointRecord c = new CheckpointRecord("r", 1, 0, "u", Map.of(), 0, "o", Map.of("aa", 1.0, "ab", 2.0), 0);
        byte[] ok = Codecs.CHECKPOINT.encode(c);
        byte[] dup = ok.clone();
        int second = indexOf(dup, "ab".getBytes(StandardCharsets.UTF_8));
        dup[second + 1] = 'a';
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.CHECKPOINT.decode(dup)).reason());
        // a null key: length -1 (4 bytes 0xFF) where "aa" was, followed by the rest shifted
        int first = indexOf(ok, "aa".getBytes(StandardCharsets.UTF_8)) - 4;
        byte[] nullKey = new byte[ok.length - 2];
        System.arraycopy(ok, 0, nullKey, 0, first);
        nullKey[first] = nullKey[first + 1] = nullKey[first + 2] = nullKey[first + 3] = (byte) 0xFF;
        System.arraycopy(ok, first + 6, nullKey, first + 4, ok.length - first - 6);
        assertEquals(DeadLetterReason.UNDECODABLE,
                assertThrows(RecordException.class, () -> Codecs.CHECKPOINT.decode(nullKey)).reason());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Provide
    Arbitrary<EvalRecord> evals() {
        return RecordArbitraries.evals();
    }

    @Provide
    Arbitrary<SampleRecord> samples() {
        return RecordArbitraries.samples(300);
    }

    @Provide
    Arbitrary<PromptRecord> prompts() {
        return RecordArbitraries.prompts();
    }

    @Provide
    Arbitrary<ScoredRecord> scored() {
        return RecordArbitraries.scored(50);
    }
}
