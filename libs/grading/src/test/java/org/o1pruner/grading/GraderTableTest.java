package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grader's spec as a table: each row is (given answer, ground truth, expected equality),
 * covering numbers in every common spelling, LaTeX expressions, units and degrees, percent,
 * equations, tuples, intervals and unions, sets, matrices, text and multiple-choice letters,
 * with negatives for each. Every row is also checked with the sides swapped (equivalence is
 * symmetric) and through a full solution text ending in {@code \boxed{given}}.
 */
class GraderTableTest {

    private static final Grader GRADER = Grader.defaults();

    private static Arguments row(String given, String truth, boolean equal) {
        return Arguments.of(given, truth, equal);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("3", "3", true),
                row("\\frac{1}{2}", "0.5", true),
                row("\\frac12", "1/2", true),
                row("\\dfrac{2}{4}", "\\frac{1}{2}", true),
                row("1,000", "1000", true),
                row("18\\%", "18", false),
                row("18\\%", "0.18", true),
                row("5\\text{ cm}", "5\\text{ km}", false),
                row("5\\text{ cm}", "5", true),
                row("\\frac{a+b}{c}", "a+\\frac{b}{c}", false),
                row("\\frac{\\sqrt5+1}{2}", "\\frac{1+\\sqrt5}{2}", true),
                row("\\{1,2,3\\}", "\\{3,2,1\\}", true),
                row("−5", "-5", true),
                row("5\\sqrt2", "5\\sqrt{2}", true),
                row("5", "$5$", true),
                row("x = 3", "3", true),
                row("(1,2)", "(2,1)", false),
                row("[1,2)", "[1,2)", true),
                row("[1,2)", "(1,2)", false),
                row("(-\\infty, 1)\\cup(1, \\infty)", "(1,\\infty)\\cup(-\\infty,1)", true),
                row("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", true),
                row("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}", false),
                row("\\text{Monday}", "monday", true),
                row("(A)", "A", true),
                row("\\text{(A)}", "A", true),
                row("B", "A", false),
                row("1\\frac{2}{3}", "\\frac53", true),
                row("2\\frac12", "2.5", true),
                row("1.5e3", "1500", true),
                row("1.5\\times 10^{3}", "1500", true),
                row("9**9**9", "1", false),
                row("30^\\circ", "30", true),
                row("3+4i", "4i+3", true),
                row("123456789012345678901234567890123456789012345678901234567890", "123456789012345678901234567890123456789012345678901234567891", false),
                row("\\sqrt{8}", "2\\sqrt{2}", true),
                row("x^2+2x+1", "(x+1)^2", true),
                row("\\pi r^2", "r^2\\pi", true),
                row("-\\frac{3}{4}", "-0.75", true),
                row("\\$50", "50", true),
                row("y=-2x+1", "y = 1-2x", true),
                row("2,4", "4,2", true),
                row("\\frac{3}{\\pi}", "3/\\pi", true),
                row("\\sin^2 y", "(\\sin y)^2", true),
                row("10\\%", "\\frac{1}{10}", true),
                row("147\\text{ cm}", "147", true),
                row("22.1cm^{2}", "22.1", true),
                row("1 : 2", "1:2", true),
                row("\\left( 2, \\frac{5 \\pi}{3} \\right)", "(2, 5\\pi/3)", true),
                row("\\begin{pmatrix} 1/2 \\\\ 3 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ 3 \\end{pmatrix}", true),
                row("\\begin{bmatrix} 1 \\\\ 3 \\end{bmatrix}", "\\begin{pmatrix} 1 \\\\ 3 \\end{pmatrix}", true),
                row("\\begin{pmatrix} 1 & -1 \\\\ 1 & \\phantom -1 \\end{pmatrix}", "\\begin{pmatrix} 1 & -1 \\\\ 1 & 1 \\end{pmatrix}", true),
                row("5,600", "5600", true),
                row("5{,}600", "5600", true),
                row("5,\\!600", "5600", true),
                row("1,\\!000,\\!000", "10^6", true),
                row("\\frac{6}{8}", "\\frac34", true),
                row("0.75", "3/4", true),
                row(".5", "0.5", true),
                row("0.50", "\\frac{1}{2}", true),
                row("-0.5", "\\frac{-1}{2}", true),
                row("\\frac{1}{3}", "0.333", false),
                row("3.0", "3", true),
                row("3.01", "3", false),
                row("\\pi", "3.14159", false),
                row("2\\pi", "\\pi \\cdot 2", true),
                row("\\sqrt[3]{2}", "2^{1/3}", true),
                row("\\sqrt{2}/2", "\\frac{1}{\\sqrt2}", true),
                row("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true),
                row("i\\sqrt2", "\\sqrt{-2}", true),
                row("\\sqrt{-2}", "-\\sqrt{-2}", false),
                row("x^{3}", "x^3", true),
                row("x^3", "x^2", false),
                row("(3y-5)^2", "9y^2-30y+25", true),
                row("2xy + 10x + 20y + 100", "2(x+10)(y+5)", true),
                row("\\text{(B)}", "B", true),
                row("\\textbf{(C)}", "(C)", true),
                row("(C)", "(D)", false),
                row("\\text{Sunday}", "\\text{sunday}", true),
                row("\\text{odd}", "even", false),
                row("40\\text{ min}", "40", true),
                row("40\\text{ min}", "40\\text{ minutes}", true),
                row("40 minutes", "40", true),
                row("80\\text{ cents}", "80", true),
                row("5\\text{ cm}", "5\\text{ centimeters}", true),
                row("20\\text{ square units}", "20", true),
                row("2400 \\mbox{ cm}^2", "2400", true),
                row("2400 \\mbox{ cm}^2", "2400 cm^2", true),
                row("2400 \\text{ cm}^2", "2400 \\text{ m}^2", false),
                row("61^\\circ", "61", true),
                row("61^{\\circ}", "61°", true),
                row("61^\\circ", "62", false),
                row("30 degrees", "30^\\circ", true),
                row("25\\%", "25%", true),
                row("25\\%", "\\frac14", true),
                row("25\\%", "25", false),
                row("x=9", "9", true),
                row("n = 255", "255", true),
                row("k = \\frac{-33}{2}", "-16.5", true),
                row("f(x)=-\\frac25 x + 13", "-\\frac{2}{5}x+13", true),
                row("y = 2", "x = 2", false),
                row("\\$5.50", "5.5", true),
                row("\\$18.90", "18.9", true),
                row("18 dollars", "18", true),
                row("(1, 7)", "(1,7)", true),
                row("[5,10]", "[5, 10]", true),
                row("[5,10]", "(5,10)", false),
                row("(2,4)", "2,4", false),
                row("-3,-1,1", "1,-1,-3", true),
                row("-3,-1,1", "1,-1", false),
                row("\\sqrt{2},-\\sqrt{2}", "-\\sqrt2, \\sqrt2", true),
                row("\\{1,3,5\\}", "\\{5,3,1\\}", true),
                row("\\{1,3,5\\}", "\\{1,3\\}", false),
                row("(-\\infty,-2)\\cup(-2, 2)\\cup(2,\\infty)", "(2,\\infty)\\cup(-\\infty,-2)\\cup(-2,2)", true),
                row("(-\\infty,-2)\\cup(-2, 2)", "(-\\infty,-2)\\cup(-2, 2]", false),
                row("[1,+\\infty)", "[1,\\infty)", true),
                row("\\left[ \\frac{5}{2}, \\frac{7}{2} \\right)", "[2.5, 3.5)", true),
                row("1.5E-3", "0.0015", true),
                row("1.5 \\cdot 10^{-3}", "0.0015", true),
                row("3\\times 10^5", "300000", true),
                row("10\\frac{1}{12}", "\\frac{121}{12}", true),
                row("-15\\frac{3}{5}", "-15.6", true),
                row("\\frac{1}{4} - \\frac{3}{7} i", "0.25 - \\frac{3i}{7}", true),
                row("-1 - i", "-(1+i)", true),
                row("422_8", "422_8", true),
                row("422_8", "274", false),
                row("\\log\\left(\\frac{2007}{2006}\\right)", "\\log(2007/2006)", true),
                row("2 \\sin b \\cos a", "2\\cos a \\sin b", true),
                row("\\sin x", "\\cos x", false),
                row("12\\times18\\times11", "2376", true),
                row("x^6-5832", "x^6 - 5832", true),
                row("\\frac{x+5}{6}", "\\frac{x}{6}+\\frac56", true),
                row("\\frac{2}{n}", "2/n", true),
                row("5!", "120", true),
                row("100!", "100!", true),
                row("2^{100}", "1267650600228229401496703205376", true),
                row("2^{100}", "1267650600228229401496703205377", false),
                row("x^{100000}", "x", false),
                row("\\infty", "\\infty", true),
                row("-\\infty", "\\infty", false),
                row("0", "-0", true),
                row("\\emptyset", "\\varnothing", true),
                row("A,B", "\\text{A, B}", true),
                row("\\text{A,B,C,D}", "A, B, C, D", true),
                row("a", "A", false),
                row("p - q", "-q+p", true),
                row("\\frac{1}{2}", "\\frac{1}{2}\\%", false),
                row("1/0", "1/0", true),
                row("1/0", "2/0", false),
                // more negatives, one per spelling family
                row("\\frac{2}{3}", "\\frac{3}{2}", false),
                row("2/3", "0.67", false),
                row("1,001", "1001.5", false),
                row("1.5e3", "150", false),
                row("3\\frac{1}{2}", "3.2", false),
                row("2\\sqrt{3}", "3\\sqrt{2}", false),
                row("\\sqrt[3]{2}", "\\sqrt{2}", false),
                row("x^2-1", "(x-1)^2", false),
                row("2x", "x^2", false),
                row("40\\text{ min}", "40\\text{ hours}", false),
                row("30^\\circ", "30\\text{ cm}", false),
                row("0.25", "25", false),
                row("x = 3", "4", false),
                row("\\{1,2\\}", "\\{1,2,2\\}", false),
                row("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}", false),
                row("\\text{Monday}", "\\text{Tuesday}", false),
                row("(A)", "(B)", false),
                row("\\text{(B)}", "C", false),
                row("3 + 4i", "3 - 4i", false),
                row("(1,2,3)", "(1,2)", false),
                row("$\\frac{1}{9}$", "\\frac19", true),
                row("\\(\\frac{1}{9}\\)", "1/9", true),
                row("\\tfrac{4}{9}", "4/9", true),
                row("\\frac 59", "5/9", true),
                row("\\frac {40}7", "40/7", true),
                row("-\\frac12", "-0.5", true),
                row("\\frac{-1}{2}", "-\\frac{1}{2}", true),
                row("2 \\cdot 3", "6", true),
                row("6 \\div 4", "1.5", true),
                row("1.5\\times10^{-2}", "0.015", true),
                row("2.5 \\times 10^{3}", "2500", true),
                row("1\\,000", "1000", true),
                row("1\\,000", "1001", false),
                row("\\sqrt{2}\\cdot\\sqrt{3}", "\\sqrt{6}", true),
                row("\\sqrt{x^2 - 1}", "\\sqrt{x^2-1}", true),
                row("\\pi a^2", "a^2 \\pi", true),
                row("\\pi a^2", "2 \\pi a", false),
                row("6, 8\\text{, and }10", "6, 8\\text{, and }10", true),
                row("B", "\\text{(B)}", true),
                row("x \\in [2, 5]", "x \\in [2, 5]", true),
                row("1\\frac45", "1.8", true),
                row("\\text{two lines}", "two lines", true),
                row("\\text{October 30}", "october 30", true),
                row("48\\%", "0.48", true),
                row("5.3\\%", "0.053", true),
                row("5.3\\%", "5.3", false),
                row("2 \\text{ hours}", "120 \\text{ minutes}", false),

                row("0", "0", true));
    }

    @ParameterizedTest(name = "[{index}] {0}  vs  {1}  -> {2}")
    @MethodSource("rows")
    void decidesEquivalence(String given, String truth, boolean equal) {
        assertEquals(equal, GRADER.equivalent(given, truth), () -> given + " vs " + truth);
    }

    @ParameterizedTest(name = "[{index}] {1}  vs  {0}  -> {2}")
    @MethodSource("rows")
    void isSymmetric(String given, String truth, boolean equal) {
        assertEquals(equal, GRADER.equivalent(truth, given), () -> truth + " vs " + given);
    }

    @ParameterizedTest(name = "[{index}] boxed {0}  vs  {1}  -> {2}")
    @MethodSource("rows")
    void gradesBoxedSolutions(String given, String truth, boolean equal) {
        String solution = "Let me think step by step.\n... so we get it.\n\nThe final answer is $\\boxed{" + given + "}$.";
        Grade g = GRADER.grade(solution, truth);
        assertEquals(equal, g.correct(), () -> solution + " vs " + truth + " -> " + g);
        assertEquals(given, g.extracted());
    }
}
