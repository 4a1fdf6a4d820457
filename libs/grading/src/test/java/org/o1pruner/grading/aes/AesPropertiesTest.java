package org.o1pruner.grading.aes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class AesPropertiesTest {
    private static final AesWeights W = AesWeights.PAPER;

    @Property
    void baselineScoresZero(@ForAll @DoubleRange(min = 0, max = 1) double acc,
                            @ForAll @DoubleRange(min = 0, max = 1e5) double len) {
        for (AesVariant v : AesVariant.values()) {
            assertEquals(0, Aes.score(acc, len, acc, len, W, v), 0);
        }
    }

    @Property
    void variantsAgreeUnlessAccuracyFell(@ForAll @DoubleRange(min = 0.01, max = 1) double baseAcc,
                                         @ForAll @DoubleRange(min = 1, max = 1e4) double baseLen,
                                         @ForAll @DoubleRange(min = 0, max = 1) double acc,
                                         @ForAll @DoubleRange(min = 0, max = 1e4) double len) {
        Aes.Scores s = Aes.scores(baseAcc, baseLen, acc, len, W);
        if (acc >= baseAcc) {
            assertEquals(s.formula(), s.paperTable(), 0);
        } else {
            assertTrue(s.paperTable() > s.formula());
            assertEquals((W.beta() + W.gamma()) * Math.abs(s.deltaAccuracy()), s.paperTable() - s.formula(), 1e-9);
        }
    }

    @Property
    void shorterNeverScoresLower(@ForAll @DoubleRange(min = 0, max = 1) double baseAcc,
                                 @ForAll @DoubleRange(min = 1, max = 1e4) double baseLen,
                                 @ForAll @DoubleRange(min = 0, max = 1) double acc,
                                 @ForAll @DoubleRange(min = 0, max = 1e4) double len,
                                 @ForAll @DoubleRange(min = 0, max = 1e4) double shorterBy) {
        double shorter = Math.max(0, len - shorterBy);
        for (AesVariant v : AesVariant.values()) {
            assertTrue(Aes.score(baseAcc, baseLen, acc, shorter, W, v) >= Aes.score(baseAcc, baseLen, acc, len, W, v));
        }
    }

    @Property
    void formulaRewardsAccuracyMonotonically(@ForAll @DoubleRange(min = 0, max = 1) double baseAcc,
                                             @ForAll @DoubleRange(min = 1, max = 1e4) double baseLen,
                                             @ForAll @DoubleRange(min = 0, max = 1) double acc,
                                             @ForAll @DoubleRange(min = 0, max = 1) double more,
                                             @ForAll @DoubleRange(min = 0, max = 1e4) double len) {
        double better = Math.min(1, acc + more);
        assertTrue(Aes.score(baseAcc, baseLen, better, len, W, AesVariant.FORMULA)
                >= Aes.score(baseAcc, baseLen, acc, len, W, AesVariant.FORMULA));
    }
}
