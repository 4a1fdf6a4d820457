package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile answers never hang, never throw and come back "not equal" with the bound reported. */
class AdversarialInputsTest {

    private final Grader grader = Grader.defaults();

    private Grade bounded(String given, String truth) {
        Grade g = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> grader.gradeAnswer(given, truth));
        assertFalse(g.correct(), () -> "must not be equal: " + g);
        return g;
    }

    @Test
    void towerOfPowers() {
        assertTrue(bounded("9**9**9", "1").timedOut());
        assertTrue(bounded("9^{9^{9}}", "9^{9^{9}}+1").timedOut());
        assertTrue(bounded("10^{10^{10}}", "10").timedOut());
        assertTrue(bounded("\\frac{1}{2}^{123456789}", "0").timedOut());
    }

    @Test
    void hugeExponents() {
        assertTrue(bounded("2^{99999999}", "2").timedOut());
        assertTrue(bounded("1e999999999", "1").timedOut());
        assertTrue(bounded("99999999!", "1").timedOut());
        assertTrue(bounded("\\binom{100000}{50000}", "1").timedOut());
        bounded("x^{99999999}", "x");
    }

    @Test
    void tenThousandDigitNumbers() {
        String big = "7".repeat(10_000);
        assertTrue(bounded(big, big + "1").timedOut());
        assertTrue(bounded(big, big).timedOut());
        String thousand = "7".repeat(1_001);
        assertTrue(bounded(thousand, "7").timedOut());
    }

    @Test
    void deeplyNestedBraces() {
        String nested = "{".repeat(5_000) + "1" + "}".repeat(5_000);
        assertTrue(bounded(nested, "1").timedOut());
        String parens = "(".repeat(900) + "1" + ")".repeat(900);
        assertTrue(bounded(parens, "2").timedOut());
        String roots = "\\sqrt{".repeat(300) + "2" + "}".repeat(300);
        assertTrue(bounded(roots, "2").timedOut());
        String tuples = "(1,".repeat(500) + "1" + ")".repeat(500);
        assertTrue(bounded(tuples, "1").timedOut());
    }

    @Test
    void deeplyNestedBoxInASolution() {
        String nested = "{".repeat(5_000) + "1" + "}".repeat(5_000);
        Grade g = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> grader.grade("We get \\boxed{" + nested + "}.", "1"));
        assertFalse(g.correct());
        assertTrue(g.timedOut());
        Grade unbalanced = grader.grade("We get \\boxed{" + "{".repeat(5_000) + "1", "1");
        assertFalse(unbalanced.correct());
    }

    @Test
    void longListsAndLongExpressions() {
        bounded("1,".repeat(900) + "1", "1");
        bounded("(1,2)".repeat(300), "1");
        bounded("a".repeat(1_900), "a".repeat(1_899) + "b");
        bounded("x^2+".repeat(400) + "1", "x");
    }

    @Test
    void longChainsNeedNoDeepStack() throws InterruptedException {
        Grader roomy = Grader.withBudget(new GradingBudget(4_000_000, 100_000, 1_000, 10_000, 20_000, 100, 10_000_000L, 256));
        Grade[] out = new Grade[2];
        Throwable[] failure = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                out[0] = roomy.gradeAnswer("1+".repeat(1_999) + "1", "2000");
                out[1] = roomy.gradeAnswer("1+".repeat(50_000) + "1", "50001");
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();
        assertTrue(failure[0] == null, () -> "threw " + failure[0]);
        assertTrue(out[0].correct(), () -> "" + out[0]);
        assertTrue(out[1].timedOut() && !out[1].correct(), () -> "" + out[1]);
    }

    @Test
    void aTinyBudgetTimesOutInsteadOfDeciding() {
        Grader tiny = Grader.withBudget(new GradingBudget(1_000, 2_000, 1_000, 10_000, 100_000, 100, 20, 256));
        Grade g = tiny.gradeAnswer("\\frac{\\sqrt5+1}{2}", "\\frac{1+\\sqrt5}{2}");
        assertFalse(g.correct());
        assertTrue(g.timedOut());
    }
}
