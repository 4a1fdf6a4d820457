package org.o1pruner.schema;

/**
 * A graded sample with its length-harmonizing reward: the value on
 * {@link Topics#SCORED}, keyed by problem id.
 *
 * <p>{@code rawReward = meanLengthRef / length − 1 + lambda · (A − meanAccuracyRef)}
 * with A = 1 if {@code correct} else 0, before clipping and standardization (those
 * are the trainer's). The reference means are over the {@code groupSize} samples of
 * the sample's group (same problem, round and policy version).
 *
 * <p>The constructor stores what it is given; {@link #validate()} checks it.
 *
 * @param sample           the sample as it arrived, unchanged
 * @param correct          A(x,y): the extracted answer is equivalent to the ground truth
 * @param extractedAnswer  the final answer extracted from the text (last {@code \boxed{}}), or null if none
 * @param length           L(y) in tokens; equals {@link SampleRecord#length()}
 * @param meanLengthRef    L̄_ref(x): mean L over the group, tokens, finite and ≥ 0
 * @param meanAccuracyRef  Ā_ref(x): mean A over the group, in [0, 1]
 * @param groupSize        samples the means were taken over, 1 ≤ groupSize ≤ sample.k()
 * @param rawReward        R_LH(x,y) before clipping, finite (dimensionless)
 * @param lambda           the accuracy weight λ used, finite and ≥ 0
 * @param incompleteGroup  the means came from fewer than K samples (the group timed out);
 *                         when false, groupSize equals K
 * @param gradingTimedOut  grading did not finish in time; the sample then counts as incorrect
 * @param scoredAtMs       scoring time, milliseconds since the Unix epoch, non-negative
 */
public record ScoredRecord(
        SampleRecord sample,
        boolean correct,
        String extractedAnswer,
        int length,
        double meanLengthRef,
        double meanAccuracyRef,
        int groupSize,
        double rawReward,
        double lambda,
        boolean incompleteGroup,
        boolean gradingTimedOut,
        long scoredAtMs) {

    private static final String NAME = "ScoredRecord";

    /** The problem id of the sample (the Kafka key). */
    public String problemId() {
        return sample.problemId();
    }

    /** The sample's group. */
    public GroupKey groupKey() {
        return sample.groupKey();
    }

    /** The sample's identity. */
    public SampleId sampleId() {
        return sample.sampleId();
    }

    /**
     * Checks every field, the embedded sample included.
     *
     * @return this record, for chaining
     * @throws RecordException with the reason of the first failed check
     */
    public ScoredRecord validate() {
        Checks.present(sample, NAME, "sample");
        sample.validate();
        Checks.nonNegative(length, NAME, "length");
        Checks.atLeast(groupSize, 1, NAME, "groupSize");
        if (groupSize > sample.k()) {
            throw new RecordException(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE,
                    NAME + ".groupSize " + groupSize + " exceeds k " + sample.k());
        }
        Checks.nonNegative(scoredAtMs, NAME, "scoredAtMs");
        Checks.finiteNonNegative(meanLengthRef, NAME, "meanLengthRef");
        Checks.finiteUnit(meanAccuracyRef, NAME, "meanAccuracyRef");
        Checks.finite(rawReward, NAME, "rawReward");
        Checks.finiteNonNegative(lambda, NAME, "lambda");
        if (length != sample.length()) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ".length " + length + " differs from the sample's length " + sample.length());
        }
        if (!incompleteGroup && groupSize != sample.k()) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ": complete group has groupSize " + groupSize + " but k " + sample.k());
        }
        if (gradingTimedOut && correct) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ": grading timed out but the sample is marked correct");
        }
        return this;
    }
}
