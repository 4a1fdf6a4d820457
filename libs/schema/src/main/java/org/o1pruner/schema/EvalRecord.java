package org.o1pruner.schema;

/**
 * The evaluation of one checkpoint on one data set with one decoding: the value on
 * {@link Topics#EVALS}, keyed by run id.
 *
 * <p>{@code n} solutions were graded ({@code n} problems × samples per problem),
 * {@code correct} of them correct; {@code accuracy = correct / n}. AES compares
 * against the baseline (reference model) with α=1, β=3, γ=5: {@code aes} is the
 * formula as written in the paper, {@code aesPaper} the variant that reproduces the
 * paper's printed table (β·|ΔA| also when accuracy fell). Both are 0 for the baseline.
 *
 * @param runId          the training run (the Kafka key), non-empty
 * @param version        checkpoint version evaluated, non-negative
 * @param dataset        test set (e.g. {@code math_test}, {@code gsm8k}, {@code gaokao})
 * @param decoding       decoding used (e.g. {@code greedy}, {@code sample-t0.5-p0.8}, {@code fast-greedy})
 * @param n              solutions graded, non-negative
 * @param correct        solutions correct, 0 ≤ correct ≤ n
 * @param accuracy       correct / n, in [0, 1] (0 when n = 0)
 * @param accuracyLow95  lower end of the 95 % confidence interval of accuracy, in [0, accuracy]
 * @param accuracyHigh95 upper end of the 95 % confidence interval, in [accuracy, 1]
 * @param meanLength     mean L(y) over the n solutions, tokens, finite and ≥ 0
 * @param aes            Accuracy-Efficiency Score as the paper's formula is written, finite
 * @param aesPaper       AES as the paper's table computes it, finite
 * @param baseline       this checkpoint is the baseline others are compared with
 * @param promoted       the evaluator accepted it as the next reference model
 * @param createdAtMs    evaluation time, milliseconds since the Unix epoch, non-negative
 */
public record EvalRecord(
        String runId,
        long version,
        String dataset,
        String decoding,
        int n,
        int correct,
        double accuracy,
        double accuracyLow95,
        double accuracyHigh95,
        double meanLength,
        double aes,
        double aesPaper,
        boolean baseline,
        boolean promoted,
        long createdAtMs) {

    /** Allowed difference between {@code accuracy} and {@code correct / n} (rounding only). */
    public static final double ACCURACY_TOLERANCE = 1e-9;

    private static final String NAME = "EvalRecord";

    /**
     * Checks every field.
     *
     * @return this record, for chaining
     * @throws RecordException with the reason of the first failed check
     */
    public EvalRecord validate() {
        Checks.nonEmpty(runId, NAME, "runId");
        Checks.present(dataset, NAME, "dataset");
        Checks.present(decoding, NAME, "decoding");
        Checks.nonNegative(version, NAME, "version");
        Checks.nonNegative(n, NAME, "n");
        Checks.nonNegative(correct, NAME, "correct");
        if (correct > n) {
            throw new RecordException(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE,
                    NAME + ".correct " + correct + " exceeds n " + n);
        }
        Checks.nonNegative(createdAtMs, NAME, "createdAtMs");
        Checks.finiteUnit(accuracy, NAME, "accuracy");
        Checks.finiteUnit(accuracyLow95, NAME, "accuracyLow95");
        Checks.finiteUnit(accuracyHigh95, NAME, "accuracyHigh95");
        Checks.finiteNonNegative(meanLength, NAME, "meanLength");
        Checks.finite(aes, NAME, "aes");
        Checks.finite(aesPaper, NAME, "aesPaper");
        double expected = n == 0 ? 0.0 : (double) correct / n;
        if (Math.abs(accuracy - expected) > ACCURACY_TOLERANCE) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ".accuracy " + accuracy + " is not correct/n = " + expected);
        }
        if (accuracyLow95 > accuracy + ACCURACY_TOLERANCE || accuracyHigh95 < accuracy - ACCURACY_TOLERANCE) {
            throw new RecordException(DeadLetterReason.INVALID, NAME + ": interval [" + accuracyLow95 + ", "
                    + accuracyHigh95 + "] does not contain accuracy " + accuracy);
        }
        return this;
    }
}
