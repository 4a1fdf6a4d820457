package org.o1pruner.schema;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generated solution: the value on {@link Topics#SAMPLES}, keyed by problem id.
 *
 * <p>Shapes: {@code responseTokenIds} and {@code logProbs} both have length T (the
 * number of generated tokens, EOS included when {@code finishReason == EOS});
 * {@code promptTokenIds} has the prompt's length P. {@code logProbs[i]} is the
 * natural-log probability (nats, ≤ 0) of {@code responseTokenIds[i]} under the
 * generating policy's <em>unmodified</em> distribution (temperature 1, no top-p /
 * top-k truncation), whatever the sampling settings were. These log-probs are
 * π_ref's for the trainer's ratio, so they must be recorded exactly.
 *
 * <p>Arrays are copied on construction; the accessors return the record's own
 * arrays without copying (they are large and read often), so callers must not
 * modify them.
 *
 * <p>The constructor stores what it is given; {@link #validate()} checks it.
 *
 * @param problemId        problem id (the Kafka key), non-empty
 * @param dataset          data set name, carried from the prompt
 * @param round            pruning round, non-negative
 * @param policyVersion    checkpoint version that generated this sample, non-negative
 * @param sampleIndex      index in the group, 0 ≤ sampleIndex &lt; k
 * @param k                group size K requested by the prompt, at least 1
 * @param answer           ground-truth answer carried from the prompt (for grading)
 * @param variant          prompt variant carried from the prompt ({@code default} / {@code fast})
 * @param promptTokenIds   token ids of the full templated prompt, shape [P], each ≥ 0
 * @param responseTokenIds generated token ids, shape [T], each ≥ 0
 * @param logProbs         per-token log-probs of the response, shape [T], nats, finite and ≤ 0
 * @param text             decoded response text (special tokens removed)
 * @param finishReason     why generation stopped; decides {@link #length()}
 * @param generationMs     wall-clock time spent generating this sample, milliseconds, non-negative
 * @param createdAtMs      creation time, milliseconds since the Unix epoch, non-negative
 */
public record SampleRecord(
        String problemId,
        String dataset,
        int round,
        long policyVersion,
        int sampleIndex,
        int k,
        String answer,
        String variant,
        int[] promptTokenIds,
        int[] responseTokenIds,
        float[] logProbs,
        String text,
        FinishReason finishReason,
        long generationMs,
        long createdAtMs) {

    /**
     * Largest log-prob accepted: log-softmax in float can round a probability of
     * 1 to a tiny positive value; anything above this is not a log-prob.
     */
    public static final float LOG_PROB_EPSILON = 1e-4f;

    private static final String NAME = "SampleRecord";

    /** Copies the arrays (null stays null so that {@link #validate()} can report it). */
    public SampleRecord {
        promptTokenIds = promptTokenIds == null ? null : promptTokenIds.clone();
        responseTokenIds = responseTokenIds == null ? null : responseTokenIds.clone();
        logProbs = logProbs == null ? null : logProbs.clone();
    }

    /**
     * L(y): the number of response tokens, without the end-of-sequence token when
     * {@link FinishReason#EOS} ended the response. Prompt tokens never count.
     */
    public int length() {
        int t = responseTokenIds.length;
        return finishReason == FinishReason.EOS ? t - 1 : t;
    }

    /** The group this sample belongs to: (problemId, round, policyVersion). */
    public GroupKey groupKey() {
        return new GroupKey(problemId, round, policyVersion);
    }

    /** The sample's identity: its group and index. */
    public SampleId sampleId() {
        return new SampleId(groupKey(), sampleIndex);
    }

    /**
     * Checks every field.
     *
     * @return this record, for chaining
     * @throws RecordException with the reason of the first failed check
     */
    public SampleRecord validate() {
        Checks.nonEmpty(problemId, NAME, "problemId");
        Checks.present(dataset, NAME, "dataset");
        Checks.present(answer, NAME, "answer");
        Checks.present(variant, NAME, "variant");
        Checks.present(promptTokenIds, NAME, "promptTokenIds");
        Checks.present(responseTokenIds, NAME, "responseTokenIds");
        Checks.present(logProbs, NAME, "logProbs");
        Checks.present(text, NAME, "text");
        Checks.present(finishReason, NAME, "finishReason");
        Checks.nonNegative(round, NAME, "round");
        Checks.nonNegative(policyVersion, NAME, "policyVersion");
        Checks.atLeast(k, 1, NAME, "k");
        Checks.nonNegative(sampleIndex, NAME, "sampleIndex");
        if (sampleIndex >= k) {
            throw new RecordException(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE,
                    NAME + ".sampleIndex " + sampleIndex + " is not below k " + k);
        }
        Checks.nonNegative(generationMs, NAME, "generationMs");
        Checks.nonNegative(createdAtMs, NAME, "createdAtMs");
        tokenIdsNonNegative(promptTokenIds, "promptTokenIds");
        tokenIdsNonNegative(responseTokenIds, "responseTokenIds");
        if (logProbs.length != responseTokenIds.length) {
            throw new RecordException(DeadLetterReason.LENGTH_MISMATCH, NAME + ".logProbs has "
                    + logProbs.length + " entries for " + responseTokenIds.length + " response tokens");
        }
        for (int i = 0; i < logProbs.length; i++) {
            float lp = logProbs[i];
            if (!Float.isFinite(lp)) {
                throw new RecordException(DeadLetterReason.NOT_FINITE,
                        NAME + ".logProbs[" + i + "] is not finite: " + lp);
            }
            if (lp > LOG_PROB_EPSILON) {
                throw new RecordException(DeadLetterReason.INVALID,
                        NAME + ".logProbs[" + i + "] is positive: " + lp);
            }
        }
        if (finishReason == FinishReason.EOS && responseTokenIds.length == 0) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ".finishReason is EOS but there are no response tokens");
        }
        Checks.variant(variant, NAME);
        return this;
    }

    private static void tokenIdsNonNegative(int[] ids, String field) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new RecordException(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE,
                        NAME + "." + field + "[" + i + "] is negative: " + ids[i]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SampleRecord s)) {
            return false;
        }
        return round == s.round
                && policyVersion == s.policyVersion
                && sampleIndex == s.sampleIndex
                && k == s.k
                && generationMs == s.generationMs
                && createdAtMs == s.createdAtMs
                && finishReason == s.finishReason
                && Objects.equals(problemId, s.problemId)
                && Objects.equals(dataset, s.dataset)
                && Objects.equals(answer, s.answer)
                && Objects.equals(variant, s.variant)
                && Objects.equals(text, s.text)
                && Arrays.equals(promptTokenIds, s.promptTokenIds)
                && Arrays.equals(responseTokenIds, s.responseTokenIds)
                && Arrays.equals(logProbs, s.logProbs);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(problemId, dataset, round, policyVersion, sampleIndex, k, answer, variant,
                text, finishReason, generationMs, createdAtMs);
        h = 31 * h + Arrays.hashCode(promptTokenIds);
        h = 31 * h + Arrays.hashCode(responseTokenIds);
        return 31 * h + Arrays.hashCode(logProbs);
    }

    /** A summary: array contents and long text are abbreviated. */
    @Override
    public String toString() {
        return NAME + "[problemId=" + problemId + ", dataset=" + dataset + ", round=" + round
                + ", policyVersion=" + policyVersion + ", sampleIndex=" + sampleIndex + ", k=" + k
                + ", answer=" + abbreviate(answer, 40) + ", variant=" + variant
                + ", promptTokenIds=" + shape("int", promptTokenIds == null ? -1 : promptTokenIds.length)
                + ", responseTokenIds=" + shape("int", responseTokenIds == null ? -1 : responseTokenIds.length)
                + ", logProbs=" + shape("float", logProbs == null ? -1 : logProbs.length)
                + ", text=" + abbreviate(text, 60) + ", finishReason=" + finishReason
                + ", generationMs=" + generationMs + ", createdAtMs=" + createdAtMs + "]";
    }

    private static String shape(String type, int n) {
        return n < 0 ? "null" : type + "[" + n + "]";
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return "null";
        }
        return s.length() <= max ? "\"" + s + "\"" : "\"" + s.substring(0, max) + "\u2026\"(" + s.length() + " chars)";
    }
}
