package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a trace's text back, independently of the writer, and checks its grammar: the first pass
 * applies the problem's terms in order, every re-check walks all terms in another order, a
 * "Same." re-check matches the held value, a disagreeing one names the held value and replaces
 * it, and the boxed value is the held value at the end.
 */
final class TraceReader {

    /** What the text says. */
    record Reading(long firstPassValue, List<Long> checkValues, List<Boolean> agreed, long boxed) {
    }

    private static final Pattern START = Pattern.compile("^Start with (\\d+)(?:×(\\d+)=(\\d+))?\\.");
    private static final Pattern STEP = Pattern.compile(
            "^ (Add|Subtract) (\\d+): units (\\d+)([+-])(\\d+)=(\\d+)(, (carry|borrow) 1)?, so (\\d+)\\.");
    private static final Pattern CHECK = Pattern.compile(
            "^ Check (backward|regrouped):([^.]*)\\.( Same\\.| Not (\\d+), so (\\d+)\\.)");
    private static final Pattern ITEM = Pattern.compile("^(\\d+)([+\\-×])(\\d+)=(\\d+)$");
    private static final Pattern END = Pattern.compile("^ So the answer is \\\\boxed\\{(\\d+)\\}\\.$");

    private TraceReader() {
    }

    static Reading read(ToyProblem problem, String text) {
        List<Term> terms = problem.terms();
        String rest = text;
        Matcher m = START.matcher(rest);
        assertTrue(m.find(), () -> "no start in: " + text);
        Term first = terms.get(0);
        long x;
        if (m.group(2) != null) {
            assertTrue(first.isProduct(), text);
            assertEquals(first.a(), Integer.parseInt(m.group(1)), text);
            assertEquals(first.b(), Integer.parseInt(m.group(2)), text);
            x = Long.parseLong(m.group(3));
        } else {
            assertEquals(first.a(), Integer.parseInt(m.group(1)), text);
            x = first.a();
        }
        rest = rest.substring(m.end());
        for (int i = 1; i < terms.size(); i++) {
            Term t = terms.get(i);
            m = STEP.matcher(rest);
            assertTrue(m.find(), () -> "step expected at '" + text + "'");
            assertEquals(t.minus() ? "Subtract" : "Add", m.group(1), text);
            assertEquals(t.magnitude(), Long.parseLong(m.group(2)), text);
            long xu = Math.floorMod(x, 10);
            long mu = t.magnitude() % 10;
            boolean flag = m.group(7) != null;
            long result = Long.parseLong(m.group(9));
            long shown = Long.parseLong(m.group(6));
            if (t.minus()) {
                boolean borrow = xu < mu;
                assertEquals(borrow ? xu + 10 : xu, Long.parseLong(m.group(3)), text);
                assertEquals("-", m.group(4), text);
                if (borrow) {
                    assertEquals(xu + 10 - mu, shown, text);
                    assertEquals(flag ? x - t.magnitude() : x - t.magnitude() + 10, result, text);
                } else {
                    assertTrue(!flag, text);
                    assertEquals(x - t.magnitude() + (shown - (xu - mu)), result, text);
                }
            } else {
                boolean carry = xu + mu >= 10;
                assertEquals(xu, Long.parseLong(m.group(3)), text);
                assertEquals("+", m.group(4), text);
                if (carry) {
                    assertEquals(xu + mu, shown, text);
                    assertEquals(flag ? x + t.magnitude() : x + t.magnitude() - 10, result, text);
                } else {
                    assertTrue(!flag, text);
                    assertEquals(x + t.magnitude() + (shown - (xu + mu)), result, text);
                }
            }
            x = result;
            rest = rest.substring(m.end());
        }
        long firstPass = x;
        long held = x;
        List<Long> values = new ArrayList<>();
        List<Boolean> agreed = new ArrayList<>();
        while ((m = CHECK.matcher(rest)).find()) {
            long v = readCheck(problem, m.group(2), text);
            if (m.group(3).equals(" Same.")) {
                assertEquals(held, v, () -> "a 'Same.' re-check must match the held value: " + text);
                agreed.add(true);
            } else {
                assertEquals(held, Long.parseLong(m.group(4)), text);
                assertEquals(v, Long.parseLong(m.group(5)), text);
                assertNotEquals(held, v, text);
                agreed.add(false);
                held = v;
            }
            values.add(v);
            rest = rest.substring(m.end());
        }
        m = END.matcher(rest);
        assertTrue(m.find(), () -> "no final answer after '" + text + "'");
        long boxed = Long.parseLong(m.group(1));
        assertEquals(held, boxed, () -> "the boxed answer must be the last value the trace held: " + text);
        return new Reading(firstPass, values, agreed, boxed);
    }

    /** Checks that a re-check uses every term once, not in the first pass's order; returns its value. */
    private static long readCheck(ToyProblem problem, String body, String text) {
        List<Term> terms = problem.terms();
        String[] items = body.trim().split(", ");
        int k = 0;
        long product = -1;
        Term first = terms.get(0);
        if (first.isProduct()) {
            Matcher pm = ITEM.matcher(items[0]);
            assertTrue(pm.find() && pm.group(2).equals("×"), text);
            assertEquals(first.b(), Long.parseLong(pm.group(1)), "factors are swapped in a re-check: " + text);
            assertEquals(first.a(), Long.parseLong(pm.group(3)), text);
            product = Long.parseLong(pm.group(4));
            k = 1;
        }
        List<Integer> visited = new ArrayList<>();
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            remaining.add(i);
        }
        long v = -1;
        for (int j = k; j < items.length; j++) {
            Matcher im = ITEM.matcher(items[j]);
            assertTrue(im.find(), () -> "bad re-check item in " + text);
            long a = Long.parseLong(im.group(1));
            long b = Long.parseLong(im.group(3));
            boolean minus = im.group(2).equals("-");
            if (j == k) {
                visited.add(take(terms, remaining, false, a, product, text));
            } else {
                assertEquals(v, a, () -> "a re-check continues from its own last value: " + text);
            }
            visited.add(take(terms, remaining, minus, b, product, text));
            v = Long.parseLong(im.group(4));
        }
        assertTrue(remaining.isEmpty(), () -> "a re-check must use every term: " + text);
        boolean sameOrder = true;
        for (int i = 0; i < visited.size(); i++) {
            sameOrder &= terms.get(visited.get(i)).signedValue() == terms.get(i).signedValue();
        }
        assertTrue(!sameOrder, () -> "a re-check must take another route than the first pass: " + text);
        return v;
    }

    private static int take(List<Term> terms, List<Integer> remaining, boolean minus, long value, long product,
                            String text) {
        for (int idx : remaining) {
            Term t = terms.get(idx);
            long tv = t.isProduct() ? product : t.magnitude();
            if (t.minus() == minus && tv == value) {
                remaining.remove(Integer.valueOf(idx));
                return idx;
            }
        }
        fail("re-check uses " + (minus ? "-" : "+") + value + " which is not a remaining term: " + text);
        return -1;
    }
}
