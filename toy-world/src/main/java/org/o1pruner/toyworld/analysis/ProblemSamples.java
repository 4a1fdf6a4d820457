package org.o1pruner.toyworld.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The solutions sampled for one problem, in the order they were drawn.
 *
 * @param id         the problem's id
 * @param difficulty its difficulty bucket ({@code easy}, {@code medium}, {@code hard} in the toy
 *                   world), or {@code null} when the data set has none
 * @param solutions  the graded solutions, at least one
 */
public record ProblemSamples(String id, String difficulty, List<Solution> solutions) {

    public ProblemSamples {
        Objects.requireNonNull(id, "id");
        solutions = List.copyOf(solutions);
        if (solutions.isEmpty()) {
            throw new IllegalArgumentException("problem " + id + " has no solutions");
        }
    }
}
