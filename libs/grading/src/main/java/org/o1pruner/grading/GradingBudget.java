package org.o1pruner.grading;

/**
 * Explicit bounds on one grading decision, so that no input can make the grader hang or
 * exhaust memory.
 *
 * <p>Time is bounded by an operation budget rather than a wall clock: every token, tree node
 * and big-number step costs operations, and a decision that spends more than
 * {@code maxOperations} stops and counts as "not equal, timed out". This keeps the grader pure
 * and deterministic (the same inputs always give the same grade, on any machine, under any
 * load), which a wall-clock deadline read deep inside could not.
 *
 * @param maxSolutionChars longest solution text scanned for an answer; longer text is
 *     scanned only in its last {@code maxSolutionChars} characters
 * @param maxAnswerChars longest extracted answer or truth that is compared at all
 * @param maxDigits most digits in one number literal
 * @param maxExponent largest integer exponent evaluated exactly
 * @param maxBits largest exact intermediate number, in bits (numerator or denominator)
 * @param maxDepth deepest nesting of brackets, braces and operators in one expression
 * @param maxOperations operation budget of one decision
 * @param maxElements most elements in a tuple, set, list, interval union or matrix
 */
public record GradingBudget(
        int maxSolutionChars,
        int maxAnswerChars,
        int maxDigits,
        int maxExponent,
        int maxBits,
        int maxDepth,
        long maxOperations,
        int maxElements) {

    /** Validates that every bound is positive. */
    public GradingBudget {
        if (maxSolutionChars <= 0 || maxAnswerChars <= 0 || maxDigits <= 0 || maxExponent <= 0
                || maxBits <= 0 || maxDepth <= 0 || maxOperations <= 0 || maxElements <= 0) {
            throw new IllegalArgumentException("every grading bound must be positive: " + this);
        }
    }

    /**
     * Bounds that admit every answer in the paper's data sets with a wide margin and keep a
     * decision well under a millisecond of work: 4 MB of solution, 2,000-character answers,
     * 1,000-digit numbers, exponents up to 10,000, 20,000-bit (6,000-digit) intermediates, nesting depth
     * 100, one million operations, 256 elements.
     */
    public static GradingBudget defaults() {
        return new GradingBudget(4_000_000, 2_000, 1_000, 10_000, 20_000, 100, 1_000_000L, 256);
    }
}
