package org.o1pruner.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.o1pruner.schema.DeadLetterReason.INVALID;
import static org.o1pruner.schema.DeadLetterReason.LENGTH_MISMATCH;
import static org.o1pruner.schema.DeadLetterReason.MISSING_FIELD;
import static org.o1pruner.schema.DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE;
import static org.o1pruner.schema.DeadLetterReason.NOT_FINITE;

/**
 * Each validation rule maps to its dead-letter reason, both from {@code validate()}
 * and from {@code decode()} of bytes that carry the invalid record, and
 * {@code encode()} refuses the invalid record with the same reason.
 */
class ValidationTest {

    private static <T> void rejects(RecordCodec<T> codec, T invalid, Function<T, T> validate, DeadLetterReason reason) {
        RecordException v = assertThrows(RecordException.class, () -> validate.apply(invalid));
        assertEquals(reason, v.reason(), v.getMessage());
        RecordException e = assertThrows(RecordException.class, () -> codec.encode(invalid));
        assertEquals(reason, e.reason(), e.getMessage());
        byte[] bytes = Unchecked.encode(codec, invalid);
        RecordException d = assertThrows(RecordException.class, () -> codec.decode(bytes));
        assertEquals(reason, d.reason(), d.getMessage());
    }

    // ---------------- prompt ----------------

    private static PromptRecord prompt(String problemId, String dataset, String problem, String answer, int k,
                                       int round, long version, String variant, long at) {
        return new PromptRecord(problemId, dataset, "train", problem, answer, k, round, version, variant, at);
    }

    private static void rejectsPrompt(PromptRecord p, DeadLetterReason reason) {
        rejects(Codecs.PROMPT, p, PromptRecord::validate, reason);
    }

    @Test
    void promptFixtureIsValid() {
        PromptRecord p = Fixtures.prompt();
        assertSame(p, p.validate());
    }

    @Test
    void promptRules() {
        rejectsPrompt(prompt(null, "d", "p", "a", 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(prompt("", "d", "p", "a", 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(prompt("x", null, "p", "a", 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(new PromptRecord("x", "d", null, "p", "a", 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(prompt("x", "d", null, "a", 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(prompt("x", "d", "p", null, 1, 0, 0, "default", 0), MISSING_FIELD);
        rejectsPrompt(prompt("x", "d", "p", "a", 1, 0, 0, null, 0), MISSING_FIELD);
        rejectsPrompt(prompt("x", "d", "p", "a", 0, 0, 0, "default", 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsPrompt(prompt("x", "d", "p", "a", -3, 0, 0, "default", 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsPrompt(prompt("x", "d", "p", "a", 1, -1, 0, "default", 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsPrompt(prompt("x", "d", "p", "a", 1, 0, -1, "default", 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsPrompt(prompt("x", "d", "p", "a", 1, 0, 0, "default", -5), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsPrompt(prompt("x", "d", "p", "a", 1, 0, 0, "very-fast", 0), INVALID);
    }

    // ---------------- sample ----------------

    private static SampleRecord sample(int sampleIndex, int k, int[] prompt, int[] response, float[] logProbs,
                                       FinishReason finish) {
        return new SampleRecord("p", "d", 0, 0, sampleIndex, k, "3", "default", prompt, response, logProbs, "t",
                finish, 1, 1);
    }

    private static void rejectsSample(SampleRecord s, DeadLetterReason reason) {
        rejects(Codecs.SAMPLE, s, SampleRecord::validate, reason);
    }

    @Test
    void sampleMissingFields() {
        SampleRecord ok = Fixtures.sample();
        rejectsSample(withSample(ok, "problemId", null), MISSING_FIELD);
        rejectsSample(withSample(ok, "problemId", ""), MISSING_FIELD);
        rejectsSample(withSample(ok, "dataset", null), MISSING_FIELD);
        rejectsSample(withSample(ok, "answer", null), MISSING_FIELD);
        rejectsSample(withSample(ok, "variant", null), MISSING_FIELD);
        rejectsSample(withSample(ok, "text", null), MISSING_FIELD);
        rejectsSample(sample(0, 1, null, new int[] {1}, new float[] {-1}, FinishReason.LENGTH), MISSING_FIELD);
        rejectsSample(sample(0, 1, new int[0], null, new float[] {-1}, FinishReason.LENGTH), MISSING_FIELD);
        rejectsSample(sample(0, 1, new int[0], new int[] {1}, null, FinishReason.LENGTH), MISSING_FIELD);
        // a null finish reason cannot be written, so only validate() and encode() see it
        SampleRecord noFinish = sample(0, 1, new int[0], new int[] {1}, new float[] {-1}, null);
        assertEquals(MISSING_FIELD, assertThrows(RecordException.class, noFinish::validate).reason());
        assertEquals(MISSING_FIELD, assertThrows(RecordException.class, () -> Codecs.SAMPLE.encode(noFinish)).reason());
    }

    @Test
    void sampleRanges() {
        int[] one = {5};
        float[] lp = {-0.5f};
        rejectsSample(sample(0, 0, one, one, lp, FinishReason.LENGTH), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(sample(-1, 4, one, one, lp, FinishReason.LENGTH), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(sample(4, 4, one, one, lp, FinishReason.LENGTH), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(sample(0, 4, new int[] {1, -2}, one, lp, FinishReason.LENGTH), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(sample(0, 4, one, new int[] {-1}, lp, FinishReason.LENGTH), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(new SampleRecord("p", "d", -1, 0, 0, 1, "a", "default", one, one, lp, "t",
                FinishReason.LENGTH, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(new SampleRecord("p", "d", 0, -1, 0, 1, "a", "default", one, one, lp, "t",
                FinishReason.LENGTH, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", one, one, lp, "t",
                FinishReason.LENGTH, -1, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsSample(new SampleRecord("p", "d", 0, 0, 0, 1, "a", "default", one, one, lp, "t",
                FinishReason.LENGTH, 0, -1), NEGATIVE_OR_OUT_OF_RANGE);
    }

    @Test
    void sampleLogProbs() {
        int[] two = {5, 6};
        rejectsSample(sample(0, 1, two, two, new float[] {-1f}, FinishReason.LENGTH), LENGTH_MISMATCH);
        rejectsSample(sample(0, 1, two, two, new float[] {-1f, -1f, -1f}, FinishReason.LENGTH), LENGTH_MISMATCH);
        rejectsSample(sample(0, 1, two, two, new float[] {-1f, Float.NaN}, FinishReason.LENGTH), NOT_FINITE);
        rejectsSample(sample(0, 1, two, two, new float[] {Float.NEGATIVE_INFINITY, -1f}, FinishReason.LENGTH),
                NOT_FINITE);
        rejectsSample(sample(0, 1, two, two, new float[] {-1f, 0.01f}, FinishReason.LENGTH), INVALID);
        // rounding noise just above zero is accepted
        sample(0, 1, two, two, new float[] {SampleRecord.LOG_PROB_EPSILON, 0f}, FinishReason.LENGTH).validate();
    }

    @Test
    void eosNeedsAToken() {
        rejectsSample(sample(0, 1, new int[] {1}, new int[0], new float[0], FinishReason.EOS), INVALID);
        sample(0, 1, new int[] {1}, new int[0], new float[0], FinishReason.STOP_STRING).validate();
        sample(0, 1, new int[0], new int[0], new float[0], FinishReason.LENGTH).validate();
    }

    @Test
    void unknownVariantIsInvalid() {
        rejectsSample(withSample(Fixtures.sample(), "variant", "slow"), INVALID);
    }

    private static SampleRecord withSample(SampleRecord s, String field, String value) {
        return new SampleRecord(
                field.equals("problemId") ? value : s.problemId(),
                field.equals("dataset") ? value : s.dataset(),
                s.round(), s.policyVersion(), s.sampleIndex(), s.k(),
                field.equals("answer") ? value : s.answer(),
                field.equals("variant") ? value : s.variant(),
                s.promptTokenIds(), s.responseTokenIds(), s.logProbs(),
                field.equals("text") ? value : s.text(),
                s.finishReason(), s.generationMs(), s.createdAtMs());
    }

    // ---------------- scored ----------------

    private static ScoredRecord scored(boolean correct, int length, double meanLen, double meanAcc, int groupSize,
                                       double reward, double lambda, boolean incomplete, boolean timedOut, long at) {
        return new ScoredRecord(Fixtures.sample(), correct, null, length, meanLen, meanAcc, groupSize, reward, lambda,
                incomplete, timedOut, at);
    }

    private static void rejectsScored(ScoredRecord s, DeadLetterReason reason) {
        rejects(Codecs.SCORED, s, ScoredRecord::validate, reason);
    }

    @Test
    void scoredRules() {
        // Fixtures.sample(): EOS with 4 response tokens, so L = 3; k = 16
        scored(true, 3, 5, 0.5, 16, 1, 2, false, false, 0).validate();
        scored(false, 3, 5, 0.5, 7, 1, 2, true, true, 0).validate();
        assertEquals(MISSING_FIELD, assertThrows(RecordException.class,
                () -> new ScoredRecord(null, true, null, 3, 5, 0.5, 16, 1, 2, false, false, 0).validate()).reason());
        rejectsScored(new ScoredRecord(withSample(Fixtures.sample(), "answer", null), true, null, 3, 5, 0.5, 16, 1, 2,
                false, false, 0), MISSING_FIELD);
        rejectsScored(scored(true, -1, 5, 0.5, 16, 1, 2, false, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 4, 5, 0.5, 16, 1, 2, false, false, 0), INVALID);
        rejectsScored(scored(true, 3, -1, 0.5, 16, 1, 2, false, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 3, Double.NaN, 0.5, 16, 1, 2, false, false, 0), NOT_FINITE);
        rejectsScored(scored(true, 3, 5, 1.5, 16, 1, 2, false, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 3, 5, Double.POSITIVE_INFINITY, 16, 1, 2, false, false, 0), NOT_FINITE);
        rejectsScored(scored(true, 3, 5, 0.5, 0, 1, 2, true, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 3, 5, 0.5, 17, 1, 2, true, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 3, 5, 0.5, 15, 1, 2, false, false, 0), INVALID);
        rejectsScored(scored(true, 3, 5, 0.5, 16, Double.NaN, 2, false, false, 0), NOT_FINITE);
        rejectsScored(scored(true, 3, 5, 0.5, 16, Double.NEGATIVE_INFINITY, 2, false, false, 0), NOT_FINITE);
        rejectsScored(scored(true, 3, 5, 0.5, 16, 1, -1, false, false, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsScored(scored(true, 3, 5, 0.5, 16, 1, Double.NaN, false, false, 0), NOT_FINITE);
        rejectsScored(scored(true, 3, 5, 0.5, 16, 1, 2, false, true, 0), INVALID);
        rejectsScored(scored(true, 3, 5, 0.5, 16, 1, 2, false, false, -1), NEGATIVE_OR_OUT_OF_RANGE);
    }

    // ---------------- checkpoint ----------------

    private static final String SHA = "0123456789abcdef".repeat(4);

    private static CheckpointRecord checkpoint(String runId, long version, long step, String uri,
                                               Map<String, String> files, long parent, String objective,
                                               Map<String, Double> metrics, long at) {
        return new CheckpointRecord(runId, version, step, uri, files, parent, objective, metrics, at);
    }

    private static void rejectsCheckpoint(CheckpointRecord c, DeadLetterReason reason) {
        rejects(Codecs.CHECKPOINT, c, CheckpointRecord::validate, reason);
    }

    @Test
    void checkpointRules() {
        Map<String, String> files = Map.of("model.safetensors", SHA);
        Map<String, Double> metrics = Map.of("loss", 0.5);
        checkpoint("r", 0, 0, "u", files, CheckpointRecord.NO_PARENT, "reference", metrics, 0).validate();
        rejectsCheckpoint(checkpoint(null, 1, 0, "u", files, 0, "o", metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("", 1, 0, "u", files, 0, "o", metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("r", 1, 0, null, files, 0, "o", metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", null, 0, "o", metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, 0, null, metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, 0, "o", null, 0), MISSING_FIELD);
        Map<String, String> nullHash = new HashMap<>();
        nullHash.put("model.safetensors", null);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", nullHash, 0, "o", metrics, 0), MISSING_FIELD);
        rejectsCheckpoint(checkpoint("r", -1, 0, "u", files, CheckpointRecord.NO_PARENT, "o", metrics, 0),
                NEGATIVE_OR_OUT_OF_RANGE);
        rejectsCheckpoint(checkpoint("r", 1, -1, "u", files, 0, "o", metrics, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, -2, "o", metrics, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, 0, "o", metrics, -1), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, 1, "o", metrics, 0), INVALID);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", Map.of("m", SHA.toUpperCase()), 0, "o", metrics, 0), INVALID);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", Map.of("m", "abc"), 0, "o", metrics, 0), INVALID);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", Map.of("", SHA), 0, "o", metrics, 0), INVALID);
        rejectsCheckpoint(checkpoint("r", 1, 0, "u", files, 0, "o", Map.of("loss", Double.NaN), 0), NOT_FINITE);
    }

    @Test
    void checkpointWithNullKeyIsReportedNotThrownFromTheConstructor() {
        Map<String, String> files = new HashMap<>();
        files.put(null, SHA);
        CheckpointRecord c = checkpoint("r", 1, 0, "u", files, 0, "o", Map.of(), 0);
        assertEquals(MISSING_FIELD, assertThrows(RecordException.class, c::validate).reason());
        assertEquals(MISSING_FIELD, assertThrows(RecordException.class, () -> Codecs.CHECKPOINT.encode(c)).reason());
    }

    // ---------------- eval ----------------

    private static EvalRecord eval(String runId, long version, int n, int correct, double acc, double lo, double hi,
                                   double meanLength, double aes, double aesPaper, long at) {
        return new EvalRecord(runId, version, "math_test", "greedy", n, correct, acc, lo, hi, meanLength, aes,
                aesPaper, false, false, at);
    }

    private static void rejectsEval(EvalRecord e, DeadLetterReason reason) {
        rejects(Codecs.EVAL, e, EvalRecord::validate, reason);
    }

    @Test
    void evalRules() {
        eval("r", 0, 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, 0).validate();
        eval("r", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).validate();
        rejectsEval(eval(null, 0, 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, 0), MISSING_FIELD);
        rejectsEval(new EvalRecord("r", 0, null, "greedy", 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, false, false, 0),
                MISSING_FIELD);
        rejectsEval(new EvalRecord("r", 0, "d", null, 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, false, false, 0),
                MISSING_FIELD);
        rejectsEval(eval("r", -1, 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, -4, 0, 0, 0, 0, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, -1, 0, 0, 0, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 5, 1, 1, 1, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.95, -10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.95, 10, 0, 0, -1), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, -0.1, 0.95, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 1.2, 10, 0, 0, 0), NEGATIVE_OR_OUT_OF_RANGE);
        rejectsEval(eval("r", 0, 4, 3, Double.NaN, 0.3, 0.95, 10, 0, 0, 0), NOT_FINITE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.95, Double.POSITIVE_INFINITY, 0, 0, 0), NOT_FINITE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.95, 10, Double.NaN, 0, 0), NOT_FINITE);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.95, 10, 0, Double.NEGATIVE_INFINITY, 0), NOT_FINITE);
        rejectsEval(eval("r", 0, 4, 3, 0.5, 0.3, 0.95, 10, 0, 0, 0), INVALID);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.8, 0.95, 10, 0, 0, 0), INVALID);
        rejectsEval(eval("r", 0, 4, 3, 0.75, 0.3, 0.7, 10, 0, 0, 0), INVALID);
    }
}
