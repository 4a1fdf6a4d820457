package org.o1pruner.grading;

/** Thrown inside a decision when it reaches a {@link GradingBudget} bound; never escapes the grader. */
final class GradingLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GradingLimitException(String what) {
        super(what, null, false, false);
    }
}
