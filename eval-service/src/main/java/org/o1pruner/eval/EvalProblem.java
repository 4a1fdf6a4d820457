package org.o1pruner.eval;

import java.util.Objects;

/**
 * One test problem: its id, the problem text and the ground-truth final answer.
 *
 * @param id      unique within its data set
 * @param problem the problem statement put into the prompt
 * @param answer  the ground truth the grader compares the extracted answer with
 */
public record EvalProblem(String id, String problem, String answer) {
    public EvalProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(answer, "answer");
    }
}
