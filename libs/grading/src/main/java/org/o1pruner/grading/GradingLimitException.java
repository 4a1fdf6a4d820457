package org.o1pruner.grading;

/** Thrown inside a decision when it reaches a {@link GradingBudget} bound; never escapes the grader. */
final class GradingLimitException extends RuntimeException {
    GradingLimitException(String what) {
        super(what, null, false, false);
    }
}
