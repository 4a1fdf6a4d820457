package org.o1pruner.schema;

/**
 * A problem to sample: the value on {@link Topics#PROMPTS}, keyed by problem id.
 *
 * <p>The sampler draws {@code k} solutions of it from policy version
 * {@code policyVersion}; those K samples form one group whose mean length and
 * accuracy are the reference means of the length-harmonizing reward.
 *
 * <p>The constructor stores what it is given; {@link #validate()} checks it.
 *
 * @param problemId     stable id of the problem (e.g. {@code gsm8k-00042}); the Kafka key; non-empty
 * @param dataset       data set name (e.g. {@code gsm8k}, {@code math_train}, {@code toy})
 * @param split         data split (e.g. {@code train}, {@code test})
 * @param problem       the problem statement, as given to the model (before any prompt template)
 * @param answer        the ground-truth final answer, as written in the data set
 * @param k             samples to draw for this problem (K), at least 1
 * @param round         pruning round (0 = first round of iterated pruning), non-negative
 * @param policyVersion checkpoint version of the policy to sample from, non-negative
 * @param variant       prompt variant: {@link #VARIANT_DEFAULT} or {@link #VARIANT_FAST} (fast-solving instruction)
 * @param createdAtMs   creation time, milliseconds since the Unix epoch, non-negative
 */
public record PromptRecord(
        String problemId,
        String dataset,
        String split,
        String problem,
        String answer,
        int k,
        int round,
        long policyVersion,
        String variant,
        long createdAtMs) {

    /** The plain prompt. */
    public static final String VARIANT_DEFAULT = "default";
    /** The prompt with the fast-solving instruction appended (a paper baseline). */
    public static final String VARIANT_FAST = "fast";

    private static final String NAME = "PromptRecord";

    /**
     * Checks every field.
     *
     * @return this record, for chaining
     * @throws RecordException with the reason of the first failed check
     */
    public PromptRecord validate() {
        Checks.nonEmpty(problemId, NAME, "problemId");
        Checks.present(dataset, NAME, "dataset");
        Checks.present(split, NAME, "split");
        Checks.present(problem, NAME, "problem");
        Checks.present(answer, NAME, "answer");
        Checks.present(variant, NAME, "variant");
        Checks.atLeast(k, 1, NAME, "k");
        Checks.nonNegative(round, NAME, "round");
        Checks.nonNegative(policyVersion, NAME, "policyVersion");
        Checks.nonNegative(createdAtMs, NAME, "createdAtMs");
        Checks.variant(variant, NAME);
        return this;
    }
}
