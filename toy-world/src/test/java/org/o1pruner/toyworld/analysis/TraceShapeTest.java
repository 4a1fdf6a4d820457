package org.o1pruner.toyworld.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyProblem;
import org.o1pruner.toyworld.ToyWorld;
import org.o1pruner.toyworld.Trace;
import org.o1pruner.toyworld.Variant;

class TraceShapeTest {

    private static final List<ToyProblem> TEST = ToyWorld.standard().problems(Split.TEST);

    @Property(tries = 300)
    void everyGeneratedTraceParsesToItsTrueShape(@ForAll @IntRange(min = 0, max = 1199) int index,
                                                 @ForAll long seed, @ForAll boolean fast) {
        ToyProblem p = TEST.get(index);
        Trace t = ToyWorld.standard().trace(p, new SplittableRandom(seed), fast ? Variant.FAST : Variant.LONG);
        Optional<TraceShape> shape = TraceShape.parse(t.text());
        assertTrue(shape.isPresent(), () -> "does not parse: " + t.text());
        assertEquals(t.rechecks(), shape.get().rechecks(), t.text());
        assertEquals(t.corrections(), shape.get().corrections(), t.text());
        assertEquals(p.terms().size() - 1, shape.get().steps(), t.text());
        assertEquals(Long.toString(t.finalValue()), shape.get().boxed(), t.text());
    }

    @Test
    void allTestAndTrainProblemsParseWithTheirTrueRecheckCount() {
        SplittableRandom rng = new SplittableRandom(7);
        int withChecks = 0;
        for (Split split : Split.values()) {
            for (ToyProblem p : ToyWorld.standard().problems(split)) {
                Trace t = ToyWorld.standard().trace(p, rng, Variant.LONG);
                TraceShape s = TraceShape.parse(t.text()).orElseThrow(() -> new AssertionError(t.text()));
                assertEquals(t.rechecks(), s.rechecks(), t.text());
                withChecks += s.rechecks() > 0 ? 1 : 0;
            }
        }
        assertTrue(withChecks > 1000, "the generator writes re-checks: " + withChecks);
    }

    private static final String TWO_CHECKS = "Start with 47. Add 38: units 7+8=15, carry 1, so 85. Subtract 19: units "
            + "15-9=6, borrow 1, so 66. Check backward: 38+47=85, 85-19=66. Same. Check regrouped: 47+38=85, "
            + "85-19=76. Not 66, so 76. So the answer is \\boxed{76}.";

    @Test
    void readsChecksAndCorrectionsWithoutJudgingArithmetic() {
        TraceShape s = TraceShape.parse(TWO_CHECKS).orElseThrow();
        assertEquals(new TraceShape(2, 2, 1, "76"), s);
    }

    @Test
    void toleratesExtraWhiteSpaceAndAFinalAnswerWithoutTrailingPeriod() {
        String loose = TWO_CHECKS.replace(". Add", ".  Add").replace("Same. Check", "Same.\nCheck")
                .replace("{76}.", "{76}");
        assertEquals(2, TraceShape.parse(loose).orElseThrow().rechecks());
    }

    @Test
    void textsOffTheGrammarDoNotParse() {
        assertTrue(TraceShape.parse(TWO_CHECKS.substring(0, 120)).isEmpty(), "truncated");
        assertTrue(TraceShape.parse("The answer is \\boxed{76}.").isEmpty(), "no first pass");
        assertTrue(TraceShape.parse(TWO_CHECKS.replace("Check backward", "Check sideways")).isEmpty(), "unknown route");
        assertTrue(TraceShape.parse(TWO_CHECKS.replace("38+47=85", "38+47")).isEmpty(), "garbled check item");
        assertTrue(TraceShape.parse(TWO_CHECKS + " Check backward: 38+47=85, 85-19=66. Same.").isEmpty(),
                "a re-check after the answer");
        assertTrue(TraceShape.parse("").isEmpty());
        assertTrue(TraceShape.parse(null).isEmpty());
    }
}
