package org.o1pruner.toyworld.analysis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structure of a toy-world solution read back from its text: how many first-pass steps it
 * wrote, how many re-checks followed, how many of those disagreed, and the boxed answer.
 *
 * <p>The grammar is the one {@code TraceGenerator} writes: {@code Start with …} then
 * {@code Add|Subtract n: units …, so v.} steps, then zero or more
 * {@code Check backward|regrouped: items. Same.} or {@code … Not h, so v.} re-checks, then
 * {@code So the answer is \boxed{v}.}. Reading is tolerant of a model's slips: the arithmetic
 * inside steps and re-checks is not checked (a wrong sum is still a step), and runs of white
 * space are treated as one; only the order of the parts and their key words matter. A text that
 * breaks the grammar (truncated, garbled, a re-check after the answer) does not parse, so a
 * caller can count it apart rather than guess its re-checks.
 *
 * @param steps       first-pass steps after the start (one per term after the first)
 * @param rechecks    re-checks after the first pass
 * @param corrections re-checks that disagreed with the value held before them
 * @param boxed       the boxed final answer as written
 */
public record TraceShape(int steps, int rechecks, int corrections, String boxed) {

    private static final Pattern START = Pattern.compile("\\s*Start with \\d+(?:×\\d+=-?\\d+)?\\.");
    private static final Pattern STEP = Pattern.compile(
            "\\s*(?:Add|Subtract) \\d+: units \\d+[+-]\\d+=-?\\d+(?:, (?:carry|borrow) 1)?, so -?\\d+\\.");
    private static final Pattern CHECK = Pattern.compile(
            "\\s*Check (?:backward|regrouped):\\s*([^.]*)\\.\\s*(Same\\.|Not -?\\d+, so -?\\d+\\.)");
    private static final Pattern ITEM = Pattern.compile("-?\\d+[+\\-×]\\d+=-?\\d+");
    private static final Pattern END = Pattern.compile("\\s*So the answer is \\\\boxed\\{([^{}]*)\\}\\.?\\s*");

    public TraceShape {
        if (steps < 0 || rechecks < 0 || corrections < 0 || corrections > rechecks) {
            throw new IllegalArgumentException("need steps, rechecks >= 0 and 0 <= corrections <= rechecks, got "
                    + steps + ", " + rechecks + ", " + corrections);
        }
    }

    /** Reads a response text; empty when it does not follow the trace grammar. */
    public static Optional<TraceShape> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = START.matcher(text);
        int at = 0;
        if (!m.region(at, text.length()).lookingAt()) {
            return Optional.empty();
        }
        at = m.end();
        int steps = 0;
        m = STEP.matcher(text);
        while (m.region(at, text.length()).lookingAt()) {
            steps++;
            at = m.end();
        }
        int rechecks = 0;
        int corrections = 0;
        m = CHECK.matcher(text);
        while (m.region(at, text.length()).lookingAt()) {
            if (!items(m.group(1))) {
                return Optional.empty();
            }
            rechecks++;
            if (m.group(2).startsWith("Not")) {
                corrections++;
            }
            at = m.end();
        }
        m = END.matcher(text);
        if (!m.region(at, text.length()).matches()) {
            return Optional.empty();
        }
        return Optional.of(new TraceShape(steps, rechecks, corrections, m.group(1)));
    }

    private static boolean items(String body) {
        String[] parts = body.trim().split("\\s*,\\s*");
        if (parts.length == 0 || parts[0].isEmpty()) {
            return false;
        }
        for (String p : parts) {
            if (!ITEM.matcher(p).matches()) {
                return false;
            }
        }
        return true;
    }
}
