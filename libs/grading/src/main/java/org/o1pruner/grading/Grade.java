package org.o1pruner.grading;

/**
 * The outcome of grading one solution against one ground truth.
 *
 * <p>{@code correct} is the 0/1 accuracy A(x, y) of the paper. {@code extracted} is the final
 * answer found in the solution (null when none was found), kept so that operators can audit
 * rewards. {@code timedOut} says the decision hit a {@link GradingBudget} limit (time, digits,
 * exponent, nesting) and was therefore counted as not equal; callers count it as a metric.
 * {@code truthUnusable} says the ground truth itself is empty or junk, so no solution can be
 * graded correct against it; callers report such problems instead of training on them.
 *
 * @param correct whether the extracted answer is equivalent to the truth
 * @param extracted the extracted final answer, or null when the solution has none
 * @param timedOut whether a budget limit decided the outcome
 * @param truthUnusable whether the ground truth is empty or junk
 */
public record Grade(boolean correct, String extracted, boolean timedOut, boolean truthUnusable) {

    /** Numeric form of {@link #correct()}: 1.0 when correct, else 0.0. */
    public double accuracy() {
        return correct ? 1.0 : 0.0;
    }
}
