package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.schema.EvalRecord;

class EvalJudgeTest {
    private final EvalJudge judge = new EvalJudge(AesWeights.PAPER, new PromotionPolicy(0.01));

    // The paper's DPO Marco-o1 MATH row, as counts on its 458 problems (73.8 % -> 338, 71.8 % -> 329).
    private final EvalSummary base = new EvalSummary(458, 338, 458L * 1156, 0);
    private final EvalSummary dpo = new EvalSummary(458, 329, 458L * 761, 0);

    @Test
    void baselineRecordScoresZeroAndIsNotPromoted() {
        EvalRecord r = judge.baseline("run", 0, "math_test", "greedy", base, 5);
        assertTrue(r.baseline());
        assertFalse(r.promoted());
        assertEquals(0, r.aes());
        assertEquals(0, r.aesPaper());
        assertEquals(338.0 / 458, r.accuracy(), 1e-12);
        assertTrue(r.accuracyLow95() < r.accuracy() && r.accuracy() < r.accuracyHigh95());
        assertEquals(1156, r.meanLength(), 1e-9);
    }

    @Test
    void recordCarriesBothVariantsLabelled() {
        EvalRecord b = judge.baseline("run", 0, "math_test", "greedy", base, 5);
        EvalJudge.Verdict v = judge.judge("run", 3, "math_test", "greedy", dpo, b, OptionalDouble.empty(), 6);
        assertEquals(0.21, v.record().aes(), 0.01);
        assertEquals(0.42, v.record().aesPaper(), 0.01);
        assertEquals(PromotionPolicy.Decision.ACCURACY_BELOW_BASELINE, v.decision(), "two points down, tolerance one");
        assertFalse(v.record().promoted());
    }

    @Test
    void aRunOfVersionsPromotesOnlyNewBests() {
        EvalLedger ledger = new EvalLedger("greedy");
        EvalRecord b = judge.baseline("run", 0, "math_test", "greedy", base, 1);
        ledger.apply(b);
        // (correct, mean length) per version: better, worse AES, much better, accuracy collapse with short answers
        int[][] versions = {{340, 900}, {338, 1000}, {345, 600}, {200, 50}};
        boolean[] expected = {true, false, true, false};
        for (int i = 0; i < versions.length; i++) {
            EvalSummary s = new EvalSummary(458, versions[i][0], 458L * versions[i][1], 0);
            EvalJudge.Verdict v = judge.judge("run", i + 1, "math_test", "greedy", s, ledger.baseline("run", "math_test").orElseThrow(),
                    ledger.bestAes("run", "math_test"), i + 2);
            assertEquals(expected[i], v.record().promoted(), "version " + (i + 1) + ": " + v.decision());
            ledger.apply(v.record());
        }
        assertEquals(3, ledger.best("run", "math_test").orElseThrow().version());
        assertEquals(4, ledger.latest("run", "math_test").orElseThrow().version());
        assertTrue(List.of(0L, 1L, 2L, 3L, 4L).stream().allMatch(v -> ledger.evaluated("run", v, "math_test")));
    }
}
