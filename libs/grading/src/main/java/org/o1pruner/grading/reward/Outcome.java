package org.o1pruner.grading.reward;

/**
 * What the length-harmonizing reward needs to know about one sampled solution:
 * whether its final answer was correct (A(x,y) ∈ {0,1}) and its length L(y) in
 * generated response tokens (prompt and EOS excluded).
 *
 * @param correct whether the extracted answer matched the ground truth
 * @param length  response length in tokens, {@code >= 0}
 */
public record Outcome(boolean correct, int length) {
    /** Validates the length. */
    public Outcome {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0 tokens, got " + length);
        }
    }

    /** A(x,y) as a number: 1 for a correct answer, 0 otherwise. */
    public double accuracy() {
        return correct ? 1.0 : 0.0;
    }
}
