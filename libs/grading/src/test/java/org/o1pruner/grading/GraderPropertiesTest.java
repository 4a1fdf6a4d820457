package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Invariants of the grader over generated numbers, fractions and garbage. */
class GraderPropertiesTest {

    private final Grader grader = Grader.defaults();

    @Property(tries = 300)
    void integersEqualThemselvesInManySpellings(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long n) {
        String s = Long.toString(n);
        assertTrue(grader.equivalent(s, s));
        assertTrue(grader.equivalent("$" + s + "$", s));
        assertTrue(grader.equivalent(s + ".0", s));
        assertTrue(grader.equivalent("\\frac{" + (2 * n) + "}{2}", s));
        assertTrue(grader.equivalent(String.format(java.util.Locale.US, "%,d", n), s));
        assertTrue(grader.equivalent(s.replace('-', '\u2212'), s));
        assertFalse(grader.equivalent(Long.toString(n + 1), s));
    }

    @Property(tries = 300)
    void bigIntegersAreExact(@ForAll @IntRange(min = 20, max = 200) int digits, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        BigInteger x = new BigInteger(digits * 4, r).add(BigInteger.TEN.pow(19));
        String s = x.toString();
        assertTrue(grader.equivalent(s, s));
        assertFalse(grader.equivalent(x.add(BigInteger.ONE).toString(), s));
    }

    @Property(tries = 300)
    void fractionEqualsItsReducedForm(@ForAll @IntRange(min = -500, max = 500) int p,
                                      @ForAll @IntRange(min = 1, max = 500) int q,
                                      @ForAll @IntRange(min = 1, max = 20) int k) {
        int g = BigInteger.valueOf(p).gcd(BigInteger.valueOf(q)).intValue();
        int rp = g == 0 ? 0 : p / g;
        int rq = g == 0 ? 1 : q / g;
        String reduced = rq == 1 ? Integer.toString(rp) : (rp < 0 ? "-" : "") + "\\frac{" + Math.abs(rp) + "}{" + rq + "}";
        String unreduced = (p * k) + "/" + (q * k);
        assertTrue(grader.equivalent(unreduced, reduced), unreduced + " vs " + reduced);
        assertTrue(grader.equivalent("\\dfrac{" + p + "}{" + q + "}", reduced));
        assertTrue(grader.equivalent(reduced, unreduced));
        assertEquals(p == 0, grader.equivalent(p + "/" + (q + 1), reduced));
    }

    @Property(tries = 300)
    void decimalsEqualTheirFractions(@ForAll @IntRange(min = -99_999, max = 99_999) int n,
                                     @ForAll @IntRange(min = 0, max = 4) int places) {
        int den = (int) Math.pow(10, places);
        String decimal = java.math.BigDecimal.valueOf(n, places).toPlainString();
        String frac = "\\frac{" + n + "}{" + den + "}";
        assertTrue(grader.equivalent(decimal, frac), decimal + " vs " + frac);
        assertTrue(grader.equivalent(decimal + "\\%", "\\frac{" + n + "}{" + (den * 100) + "}"));
    }

    @Provide
    Arbitrary<String> answers() {
        Arbitrary<String> atoms = Arbitraries.oneOf(
                Arbitraries.integers().between(-50, 50).map(String::valueOf),
                Arbitraries.of("x", "y", "\\pi", "\\sqrt{2}", "\\sqrt{3}", "i", "\\frac{1}{2}", "0.25", "\\infty"));
        Arbitrary<String> ops = Arbitraries.of("+", "-", "\\cdot ", "/", "^");
        return Combinators.combine(atoms, ops, atoms, ops, atoms)
                .as((a, o1, b, o2, c) -> a + o1 + "{" + b + "}" + o2 + c);
    }

    @Property(tries = 300)
    void equivalenceIsReflexiveAndSymmetric(@ForAll("answers") String a, @ForAll("answers") String b) {
        assertTrue(grader.equivalent(a, a));
        assertEquals(grader.equivalent(b, a), grader.equivalent(a, b));
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.of('{', '}', '(', ')', '[', ']', '\\', '^', '_', '$', ',', '=', '%', '&', '-', '+', '/', '*',
                        '!', '.', ' ', '|', '0', '1', '9', 'e', 'x', 'i', 'A', '\u2212', '\u00b0', '\n'),
                Arbitraries.chars());
        Arbitrary<String> noise = chars.list().ofMaxSize(80).map(l -> {
            StringBuilder sb = new StringBuilder();
            l.forEach(sb::append);
            return sb.toString();
        });
        Arbitrary<String> tokens = Arbitraries.of("\\frac", "\\sqrt", "\\boxed{", "\\text{", "\\left(", "\\right]",
                "\\begin{pmatrix}", "\\end{pmatrix}", "\\\\", "\\cup", "\\{", "\\}", "**", "^{", "9", "e9", "\\pi",
                "\\infty", "\\sin", "\\log_", "1\\frac", "_8", "\\%", "^\\circ", "\\text{ cm}", "x=", ",", "(", ")",
                "{", "}", "!", "12", "\\frac12", "\\pm", "\\in", "\\theta", "\\vec", "\\sqrt[", "]", "&", "E-3")
                .list().ofMaxSize(40).map(l -> String.join("", l));
        return Arbitraries.oneOf(noise, tokens);
    }

    @Property(tries = 1000)
    void garbageNeverThrowsAndStaysWithinBudget(@ForAll("garbage") String a, @ForAll("garbage") String b) {
        long start = System.nanoTime();
        Grade g = grader.gradeAnswer(a, b);
        Grade s = grader.grade("text " + a + " \\boxed{" + a + "} more", b);
        long ms = (System.nanoTime() - start) / 1_000_000;
        // a hang guard, not a speed target: the operation budget bounds work deterministically;
        // speed is measured by `o1p bench reward` (grade_p99_ms)
        assertTrue(ms < 30_000, "took " + ms + " ms");
        assertFalse(g.timedOut() && g.correct());
        assertFalse(s.timedOut() && s.correct());
    }

    @Property(tries = 300)
    void garbageEqualsItself(@ForAll("garbage") String a) {
        Assume.that(Grader.usableTruth(a));
        Grade g = grader.gradeAnswer(a, a);
        assertTrue(g.correct() || g.timedOut());
    }

    @Property(tries = 300)
    void unusableTruthsAreReportedNotGraded(@ForAll @StringLength(max = 5) String blank) {
        Assume.that(blank.isBlank());
        Grade g = grader.grade("\\boxed{5}", blank);
        assertTrue(g.truthUnusable());
        assertFalse(g.correct());
        assertTrue(grader.grade("\\boxed{5}", null).truthUnusable());
    }
}
