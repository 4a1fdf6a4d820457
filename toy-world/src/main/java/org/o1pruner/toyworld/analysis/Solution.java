package org.o1pruner.toyworld.analysis;

/**
 * One graded solution, reduced to what the disharmony analysis needs.
 *
 * @param tokens   response length L(y) in tokens (prompt and end-of-sequence token excluded)
 * @param correct  whether its final answer is equivalent to the ground truth
 * @param finished whether it ended on its own (end-of-sequence) rather than at the token budget
 * @param rechecks re-checks read from its text by {@link TraceShape}, or {@code null} when the
 *                 text does not follow the toy trace grammar (or re-checks are not counted)
 */
public record Solution(int tokens, boolean correct, boolean finished, Integer rechecks) {

    public Solution {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
        if (rechecks != null && rechecks < 0) {
            throw new IllegalArgumentException("rechecks must be >= 0 or null, got " + rechecks);
        }
    }
}
