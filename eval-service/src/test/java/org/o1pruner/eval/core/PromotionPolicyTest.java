package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
    private static final EvalSummary BASE = new EvalSummary(100, 50, 100 * 300L, 0);
    private final PromotionPolicy policy = new PromotionPolicy(0.02);

    private static EvalSummary summary(int correct) {
        return new EvalSummary(100, correct, 100 * 200L, 0);
    }

    @Test
    void firstVersionThatBeatsTheBaselineIsPromoted() {
        assertEquals(PromotionPolicy.Decision.PROMOTED, policy.decide(BASE, summary(50), 0.3, OptionalDouble.empty(), false));
    }

    @Test
    void accuracyWithinToleranceStillPromotes() {
        assertEquals(PromotionPolicy.Decision.PROMOTED, policy.decide(BASE, summary(48), 0.1, OptionalDouble.empty(), false));
    }

    @Test
    void accuracyBelowToleranceNeverPromotesWhateverTheAes() {
        assertEquals(PromotionPolicy.Decision.ACCURACY_BELOW_BASELINE,
                policy.decide(BASE, summary(47), 5.0, OptionalDouble.empty(), false));
    }

    @Test
    void zeroToleranceRequiresAtLeastBaselineAccuracy() {
        PromotionPolicy strict = new PromotionPolicy(0);
        assertEquals(PromotionPolicy.Decision.ACCURACY_BELOW_BASELINE,
                strict.decide(BASE, summary(49), 0.5, OptionalDouble.empty(), false));
        assertEquals(PromotionPolicy.Decision.PROMOTED, strict.decide(BASE, summary(50), 0.5, OptionalDouble.empty(), false));
    }

    @Test
    void mustStrictlyBeatTheBestSoFar() {
        assertEquals(PromotionPolicy.Decision.NOT_BEST, policy.decide(BASE, summary(55), 0.4, OptionalDouble.of(0.4), false));
        assertEquals(PromotionPolicy.Decision.NOT_BEST, policy.decide(BASE, summary(55), 0.39, OptionalDouble.of(0.4), false));
        assertEquals(PromotionPolicy.Decision.PROMOTED, policy.decide(BASE, summary(55), 0.41, OptionalDouble.of(0.4), false));
    }

    @Test
    void mustBeatTheBaselinesZeroBeforeAnyPromotion() {
        assertEquals(PromotionPolicy.Decision.NOT_BEST, policy.decide(BASE, summary(50), 0.0, OptionalDouble.empty(), false));
        assertEquals(PromotionPolicy.Decision.NOT_BEST, policy.decide(BASE, summary(50), -0.2, OptionalDouble.empty(), false));
    }

    @Test
    void baselineAndEmptyAreNeverPromoted() {
        assertEquals(PromotionPolicy.Decision.IS_BASELINE, policy.decide(BASE, BASE, 0, OptionalDouble.empty(), true));
        assertEquals(PromotionPolicy.Decision.NOTHING_GRADED,
                policy.decide(BASE, EvalSummary.EMPTY, 1, OptionalDouble.empty(), false));
    }

    @Test
    void rejectsToleranceOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(-0.01));
        assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(Double.NaN));
    }
}
