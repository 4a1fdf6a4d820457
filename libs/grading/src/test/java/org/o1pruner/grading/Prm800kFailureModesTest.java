package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * One test per known failure of the paper's own grader (openai/prm800k grading code), each
 * checked in both directions: where that grader wrongly accepts, we reject and still accept
 * the genuinely equal form; where it wrongly rejects, we accept and still reject a genuinely
 * different answer.
 */
class Prm800kFailureModesTest {

    private final Grader grader = Grader.defaults();

    private void equal(String a, String b) {
        assertTrue(grader.equivalent(a, b), a + " should equal " + b);
        assertTrue(grader.equivalent(b, a), b + " should equal " + a);
    }

    private void unequal(String a, String b) {
        assertFalse(grader.equivalent(a, b), a + " should not equal " + b);
        assertFalse(grader.equivalent(b, a), b + " should not equal " + a);
    }

    @Test
    void fractionOfSumIsNotSumWithFraction() {
        unequal("\\frac{a+b}{c}", "a+\\frac{b}{c}");
        equal("\\frac{a+b}{c}", "\\frac{a}{c}+\\frac{b}{c}");
        unequal("\\frac{1+2}{3}", "1+\\frac{2}{3}");
        equal("\\frac{1+2}{3}", "1");
    }

    @Test
    void bigIntegersAreComparedExactlyNotThroughFloats() {
        String sixty = "123456789012345678901234567890123456789012345678901234567890";
        String lastDigitChanged = "123456789012345678901234567890123456789012345678901234567891";
        unequal(sixty, lastDigitChanged);
        equal(sixty, sixty);
        equal(sixty, "1234567890123456789012345678901234567890123456789012345678900/10");
        unequal("10^{30}", "10^{30}+1");
        equal("10^{30}", "1000000000000000000000000000000");
    }

    @Test
    void percentIsNotTheBareNumber() {
        unequal("18\\%", "18");
        equal("18\\%", "0.18");
        equal("18\\%", "18\\%");
        equal("18%", "18\\%");
    }

    @Test
    void differentUnitsAreDifferent() {
        unequal("5\\text{ cm}", "5\\text{ km}");
        equal("5\\text{ cm}", "5\\text{ cm}");
        equal("5\\text{ cm}", "5");
        unequal("5\\text{ cm}", "6");
    }

    @Test
    void unreducedFractionsEqualInValue() {
        equal("\\frac{2}{4}", "\\frac{1}{2}");
        equal("\\frac{10}{4}", "\\frac{5}{2}");
        equal("6/8", "\\dfrac{3}{4}");
        unequal("\\frac{2}{4}", "\\frac{2}{3}");
    }

    @Test
    void sumsInAnotherOrderUnderAFraction() {
        equal("\\frac{\\sqrt5+1}{2}", "\\frac{1+\\sqrt5}{2}");
        equal("\\frac{\\sqrt{5}+1}{2}", "\\frac{1+\\sqrt{5}}{2}");
        unequal("\\frac{\\sqrt5-1}{2}", "\\frac{1+\\sqrt5}{2}");
    }

    @Test
    void setsInAnotherOrder() {
        equal("\\{1,2,3\\}", "\\{3,1,2\\}");
        equal("\\{-1, \\frac12\\}", "\\{0.5,-1\\}");
        unequal("\\{1,2,3\\}", "\\{1,2,4\\}");
        unequal("\\{1,2,3\\}", "\\{1,2\\}");
    }

    @Test
    void unicodeMinus() {
        equal("\u22125", "-5");
        equal("\u2212\\frac{1}{2}", "-0.5");
        unequal("\u22125", "5");
    }

    @Test
    void sqrtWithoutBraces() {
        equal("5\\sqrt2", "5\\sqrt{2}");
        equal("\\sqrt3/3", "\\frac{\\sqrt{3}}{3}");
        unequal("5\\sqrt2", "5\\sqrt{3}");
        unequal("5\\sqrt2", "\\sqrt{52}");
    }

    @Test
    void dollarWrappedTruths() {
        equal("5", "$5$");
        equal("\\frac{1}{9}", "$\\frac{1}{9}$");
        equal("4+4\\sqrt{2}", "$4+4\\sqrt{2}$");
        unequal("6", "$5$");
        assertTrue(grader.grade("so \\boxed{145}", "$145$solution:").correct());
    }
}
