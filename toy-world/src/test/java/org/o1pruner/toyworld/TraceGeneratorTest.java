package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

    private static final TraceGenerator GEN = new TraceGenerator(WorldParams.DEFAULT);
    private static final List<ToyProblem> TRAIN = new ProblemGenerator(ProblemMix.DEFAULT)
            .generate("toy_train", 11, 1500, java.util.Set.of());

    private static void checkGrammar(ToyProblem p, Trace t) {
        TraceReader.Reading r = TraceReader.read(p, t.text());
        assertEquals(t.finalValue(), r.boxed(), t.text());
        assertEquals(t.firstPassValue(), r.firstPassValue(), t.text());
        assertEquals(t.rechecks(), r.checkValues().size(), t.text());
        for (int i = 0; i < t.rechecks(); i++) {
            if (!r.agreed().get(i)) {
                assertEquals(p.answerValue(), r.checkValues().get(i),
                        () -> "a disagreeing re-check is always right: " + t.text());
            }
        }
        if (t.correctFor(p)) {
            assertEquals(p.answerValue(), r.boxed(), t.text());
        }
        if (t.firstPassSlips() == 0) {
            assertTrue(t.correctFor(p), () -> "a first pass without slips is exact: " + t.text());
        }
        if (t.variant() == Variant.FAST) {
            assertEquals(0, t.rechecks(), t.text());
        }
    }

    @Test
    void everyTraceFollowsTheGrammar() {
        SplittableRandom rng = new SplittableRandom(3);
        for (ToyProblem p : TRAIN) {
            for (Variant v : Variant.values()) {
                checkGrammar(p, GEN.generate(p, rng, v));
            }
        }
    }

    @Property(tries = 300)
    void grammarHoldsForAnyProblemAndDraw(@ForAll long problemSeed, @ForAll long traceSeed,
                                          @ForAll @IntRange(min = 0, max = 1) int variant) {
        ToyProblem p = new ProblemGenerator(ProblemMix.DEFAULT).generate("x", problemSeed, 1, java.util.Set.of())
                .get(0);
        checkGrammar(p, GEN.generate(p, new SplittableRandom(traceSeed), Variant.values()[variant]));
    }

    @Property(tries = 200)
    void heavySlipsStillKeepTheGrammar(@ForAll long problemSeed, @ForAll long traceSeed) {
        WorldParams sloppy = new WorldParams(0.9, 0.5, 0.5, 0.3, WorldParams.DEFAULT.recheckWeights());
        ToyProblem p = new ProblemGenerator(ProblemMix.DEFAULT).generate("x", problemSeed, 1, java.util.Set.of())
                .get(0);
        checkGrammar(p, new TraceGenerator(sloppy).generate(p, new SplittableRandom(traceSeed), Variant.LONG));
    }

    @Test
    void sameSeedSameTrace() {
        ToyProblem p = TRAIN.get(5);
        assertEquals(GEN.generate(p, new SplittableRandom(9), Variant.LONG),
                GEN.generate(p, new SplittableRandom(9), Variant.LONG));
    }

    @Test
    void slipsConcentrateOnHardStepsAndRechecksFixThem() {
        SplittableRandom rng = new SplittableRandom(4);
        int[] n = new int[3];
        int[] fastRight = new int[3];
        int[] longRight = new int[3];
        int corrections = 0;
        for (ToyProblem p : TRAIN) {
            int d = p.difficulty().ordinal();
            n[d]++;
            fastRight[d] += GEN.generate(p, rng, Variant.FAST).correctFor(p) ? 1 : 0;
            Trace t = GEN.generate(p, rng, Variant.LONG);
            longRight[d] += t.correctFor(p) ? 1 : 0;
            corrections += t.corrections();
        }
        double easyFast = (double) fastRight[0] / n[0];
        double hardFast = (double) fastRight[2] / n[2];
        double hardLong = (double) longRight[2] / n[2];
        assertTrue(easyFast > 0.85, "easy first passes are mostly right: " + easyFast);
        assertTrue(hardFast < 0.55, "hard first passes often slip: " + hardFast);
        assertTrue(hardLong > hardFast + 0.3, "re-checks raise hard accuracy: " + hardLong + " vs " + hardFast);
        assertTrue(corrections > 100, "traces say when a re-check disagrees: " + corrections);
    }

    @Test
    void recheckCountsFollowTheBucket() {
        SplittableRandom rng = new SplittableRandom(8);
        int hard = 0;
        int hardZero = 0;
        int[] easyCounts = new int[WorldParams.DEFAULT.maxRechecks() + 1];
        for (ToyProblem p : TRAIN) {
            Trace t = GEN.generate(p, rng, Variant.LONG);
            if (p.difficulty() == Difficulty.HARD) {
                hard++;
                hardZero += t.rechecks() == 0 ? 1 : 0;
            } else if (p.difficulty() == Difficulty.EASY) {
                easyCounts[t.rechecks()]++;
            }
        }
        assertTrue(hardZero < 0.1 * hard, "hard problems almost always get a re-check");
        for (int c : easyCounts) {
            assertTrue(c > 0, "easy problems spread over 0.." + (easyCounts.length - 1) + " re-checks");
        }
    }
}
