package org.o1pruner.toyworld;

import java.util.List;
import java.util.Objects;

/**
 * One written solution of a toy problem, with the facts its text encodes, so tests and the
 * reward simulation need not parse the text back.
 *
 * @param variant         the instruction it answers
 * @param text            the response text (no prompt, no end-of-sequence token), ending in {@code \boxed{…}}
 * @param firstPassValue  the value the left-to-right first pass arrived at
 * @param firstPassSlips  how many steps of the first pass slipped
 * @param checks          the re-checks, in order
 * @param finalValue      the boxed value: the last re-check's value when one disagreed, else the first pass's
 */
public record Trace(Variant variant, String text, long firstPassValue, int firstPassSlips, List<Check> checks,
                    long finalValue) {

    /**
     * One re-check.
     *
     * @param route  the route it took
     * @param value  the value it computed
     * @param agreed whether it matched the value the trace held before it
     * @param slips  how many of its own steps slipped
     */
    public record Check(Route route, long value, boolean agreed, int slips) {
    }

    public Trace {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(text, "text");
        checks = List.copyOf(checks);
    }

    /** Number of re-checks. */
    public int rechecks() {
        return checks.size();
    }

    /** Number of re-checks that disagreed and replaced the held value. */
    public int corrections() {
        return (int) checks.stream().filter(c -> !c.agreed()).count();
    }

    /** Whether the boxed answer is the problem's exact answer. */
    public boolean correctFor(ToyProblem problem) {
        return finalValue == problem.answerValue();
    }
}
