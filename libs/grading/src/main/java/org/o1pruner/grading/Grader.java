package org.o1pruner.grading;

import java.util.Objects;
import java.util.Optional;

/**
 * Grades a model's solution against a ground-truth answer: the accuracy term A(x, y) of the
 * O1-Pruner reward.
 *
 * <p>It extracts the final answer ({@link AnswerExtractor}), normalizes both sides and decides
 * mathematical equivalence: numbers in every common spelling compared exactly, expressions
 * with roots, π and variables compared exactly or at pseudo-random points, units, percent,
 * degrees, equations, tuples, intervals, sets, matrices, text and multiple-choice letters.
 *
 * <p>Immutable and thread-safe; pure (no I/O, no clocks, no threads). Every decision is
 * bounded by a {@link GradingBudget}: a decision that reaches a bound is "not equal" with
 * {@link Grade#timedOut()} set, so callers can count it.
 */
public final class Grader {

    private static final Grader DEFAULTS = new Grader(GradingBudget.defaults());

    private final GradingBudget budget;

    private Grader(GradingBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** A grader with {@link GradingBudget#defaults()}. */
    public static Grader defaults() {
        return DEFAULTS;
    }

    /** A grader with the given bounds. */
    public static Grader withBudget(GradingBudget budget) {
        return new Grader(budget);
    }

    /** The bounds every decision of this grader runs under. */
    public GradingBudget budget() {
        return budget;
    }

    /**
     * Grades a full solution text against the ground truth.
     *
     * @param solution the model's solution (its final answer is extracted); null reads as empty
     * @param truth the ground-truth answer, possibly wrapped in {@code $…$} or {@code \boxed{}}
     */
    public Grade grade(String solution, String truth) {
        if (!usableTruth(truth)) {
            String extracted = solution == null ? null : extract(solution).orElse(null);
            return new Grade(false, extracted, false, true);
        }
        Optional<String> extracted = solution == null ? Optional.empty() : extract(solution);
        if (extracted.isEmpty()) {
            return new Grade(false, null, false, false);
        }
        Grade g = gradeAnswer(extracted.get(), truth);
        return new Grade(g.correct(), extracted.get(), g.timedOut(), g.truthUnusable());
    }

    /**
     * Grades an already extracted answer against the ground truth; {@link Grade#extracted()} is
     * the given answer.
     */
    public Grade gradeAnswer(String givenAnswer, String truth) {
        if (!usableTruth(truth)) {
            return new Grade(false, givenAnswer, false, true);
        }
        if (givenAnswer == null || givenAnswer.isBlank()) {
            return new Grade(false, givenAnswer, false, false);
        }
        String t = truth;
        if (givenAnswer.length() > budget.maxAnswerChars() || t.length() > budget.maxAnswerChars()) {
            return new Grade(false, givenAnswer, true, false);
        }
        try {
            boolean ok = new Equivalence(new Meter(budget)).equal(givenAnswer, t);
            return new Grade(ok, givenAnswer, false, false);
        } catch (GradingLimitException e) {
            return new Grade(false, givenAnswer, true, false);
        }
    }

    /** Whether an extracted answer is equivalent to the ground truth (false on timeout or unusable truth). */
    public boolean equivalent(String givenAnswer, String truth) {
        return gradeAnswer(givenAnswer, truth).correct();
    }

    /** Whether a ground truth can be graded against at all: not null, not empty or blank after normalization. */
    public static boolean usableTruth(String truth) {
        if (truth == null) {
            return false;
        }
        String t = Normalizer.normalize(truth);
        return !t.isEmpty() && !t.equals("{}") && !t.equalsIgnoreCase("none") && !t.equalsIgnoreCase("null");
    }

    private Optional<String> extract(String solution) {
        String s = solution.length() > budget.maxSolutionChars()
                ? solution.substring(solution.length() - budget.maxSolutionChars())
                : solution;
        return AnswerExtractor.extract(s);
    }
}
