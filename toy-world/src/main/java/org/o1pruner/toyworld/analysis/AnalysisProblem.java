package org.o1pruner.toyworld.analysis;

import java.util.Objects;

/**
 * A problem to sample: its text, ground truth and, where the data set has one, its difficulty.
 *
 * @param id         stable id
 * @param problem    the problem text put into the prompt
 * @param answer     the ground-truth answer the grader compares against
 * @param difficulty difficulty bucket, or {@code null}
 */
public record AnalysisProblem(String id, String problem, String answer, String difficulty) {
    public AnalysisProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(answer, "answer");
    }
}
