package org.o1pruner.grading.aes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AesTest {
    private static final AesWeights W = AesWeights.PAPER;

    @Test
    void handMadeGainInBothAccuracyAndLength() {
        // base 50 % at 1000 tokens; model 60 % at 600 tokens: ΔL = 0.4, ΔA = 0.2 -> 0.4 + 3*0.2
        Aes.Scores s = Aes.scores(0.5, 1000, 0.6, 600, W);
        assertEquals(0.4, s.deltaLength(), 1e-12);
        assertEquals(0.2, s.deltaAccuracy(), 1e-12);
        assertEquals(1.0, s.formula(), 1e-12);
        assertEquals(1.0, s.paperTable(), 1e-12);
    }

    @Test
    void handMadeAccuracyLossCostsGammaInTheFormulaAndGainsBetaInThePaperTable() {
        // base 80 % at 500 tokens; model 72 % at 250: ΔL = 0.5, ΔA = -0.1
        Aes.Scores s = Aes.scores(0.8, 500, 0.72, 250, W);
        assertEquals(0.5 - 5 * 0.1, s.formula(), 1e-12);
        assertEquals(0.5 + 3 * 0.1, s.paperTable(), 1e-12);
    }

    @Test
    void longerAndWorseIsNegative() {
        assertEquals(-0.25 - 5 * 0.5, Aes.score(0.4, 400, 0.2, 500, W, AesVariant.FORMULA), 1e-12);
    }

    @Test
    void customWeights() {
        AesWeights w = new AesWeights(2, 1, 10);
        assertEquals(2 * 0.5 - 10 * 0.1, Aes.score(0.8, 500, 0.72, 250, w, AesVariant.FORMULA), 1e-12);
        assertEquals(2 * 0.5 + 1 * 0.1, Aes.score(0.8, 500, 0.72, 250, w, AesVariant.PAPER_TABLE), 1e-12);
    }

    @Test
    void baselineAgainstItselfIsZero() {
        assertEquals(0, Aes.score(0.734, 932, 0.734, 932, W, AesVariant.FORMULA));
        assertEquals(0, Aes.score(0.734, 932, 0.734, 932, W, AesVariant.PAPER_TABLE));
    }

    // Paper Table 2. Accuracies in percent, lengths in tokens; the table prints two decimals.

    @Test
    void paperDpoMarcoMathRowBothVariants() {
        // DPO on Marco-o1 MATH: 71.8 % / 761 tokens against the baseline's 73.8 % / 1156
        Aes.Scores s = Aes.scores(73.8, 1156, 71.8, 761, W);
        assertEquals(0.21, s.formula(), 0.005, "the formula as written");
        assertEquals(0.42, s.paperTable(), 0.005, "what the paper's table prints");
    }

    @Test
    void paperO1PrunerMarcoAverageRow() {
        // averages over three test sets: baseline 73.4 / 932, O1-Pruner 76.8 / 554 -> printed 0.55 (accuracy
        // rose: variants agree). The average row's inputs are themselves rounded averages (0.5445 from them),
        // hence the wider tolerance than for a single data set's row.
        Aes.Scores s = Aes.scores(73.4, 932, 76.8, 554, W);
        assertEquals(0.55, s.formula(), 0.01);
        assertEquals(s.formula(), s.paperTable(), 0);
    }

    @Test
    void paperO1PrunerQwqAverageRow() {
        // QwQ-32B-Preview: baseline 88.2 / 1717, O1-Pruner 89.3 / 1121 -> 0.38
        Aes.Scores s = Aes.scores(88.2, 1717, 89.3, 1121, W);
        assertEquals(0.38, s.formula(), 0.005);
        assertEquals(0.38, s.paperTable(), 0.005);
    }

    @Test
    void paperBaselineRowsAreZero() {
        assertEquals(0, Aes.score(73.4, 932, 73.4, 932, W, AesVariant.FORMULA));
        assertEquals(0, Aes.score(88.2, 1717, 88.2, 1717, W, AesVariant.PAPER_TABLE));
    }

    @Test
    void percentAndFractionGiveTheSameScore() {
        assertEquals(Aes.score(73.8, 1156, 71.8, 761, W, AesVariant.FORMULA),
                Aes.score(0.738, 1156, 0.718, 761, W, AesVariant.FORMULA), 1e-12);
    }

    @Test
    void zeroAccuracyBaselineUsesTheAbsoluteChange() {
        assertEquals(0.5 + 3 * 0.25, Aes.score(0, 100, 0.25, 50, W, AesVariant.FORMULA), 1e-12);
        assertEquals(0.5, Aes.score(0, 100, 0, 50, W, AesVariant.FORMULA), 1e-12);
    }

    @Test
    void zeroLengthBaselineHasNoLengthTerm() {
        assertEquals(0, Aes.deltaLength(0, 17));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Aes.score(-0.1, 10, 0.5, 10, W, AesVariant.FORMULA));
        assertThrows(IllegalArgumentException.class, () -> Aes.score(0.5, Double.NaN, 0.5, 10, W, AesVariant.FORMULA));
        assertThrows(IllegalArgumentException.class, () -> new AesWeights(1, -3, 5));
        assertThrows(IllegalArgumentException.class, () -> Aes.fromDeltas(Double.POSITIVE_INFINITY, 0, W, AesVariant.FORMULA));
    }
}
