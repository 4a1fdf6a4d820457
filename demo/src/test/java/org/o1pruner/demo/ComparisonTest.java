package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;

class ComparisonTest {

    private static Map<Comparison.Decoding, EvalSummary> greedy(EvalSummary s) {
        Map<Comparison.Decoding, EvalSummary> m = new EnumMap<>(Comparison.Decoding.class);
        m.put(Comparison.Decoding.GREEDY, s);
        return m;
    }

    @Test
    void paperMarcoDpoRowGivesBothVariants() {
        // Marco MATH: baseline 73.8 % / 1156, DPO 71.8 % / 761 (DESIGN.md §2): formula 0.21, table 0.42
        Map<Method, Map<Comparison.Decoding, EvalSummary>> r = new EnumMap<>(Method.class);
        r.put(Method.BASELINE, greedy(new EvalSummary(1000, 738, 1_156_000, 0)));
        r.put(Method.DPO, greedy(new EvalSummary(1000, 718, 761_000, 0)));
        List<Comparison.Row> rows = Comparison.rows(r, AesWeights.PAPER);
        assertEquals(2, rows.size());
        assertEquals(Method.BASELINE, rows.get(0).method());
        assertEquals(0, rows.get(0).aes());
        Comparison.Row dpo = rows.get(1);
        assertEquals(0.21, dpo.aes(), 0.01);
        assertEquals(0.42, dpo.aesPaper(), 0.01);
        String md = Comparison.markdown(rows);
        assertTrue(md.contains("| DPO | greedy | 71.8 ("), md);
        assertTrue(md.contains("| 761.0 |"), md);
    }

    @Test
    void aDecodingWithoutBaselineIsAnError() {
        Map<Method, Map<Comparison.Decoding, EvalSummary>> r = new EnumMap<>(Method.class);
        r.put(Method.SFT, greedy(new EvalSummary(10, 5, 100, 0)));
        assertThrows(IllegalArgumentException.class, () -> Comparison.rows(r, AesWeights.PAPER));
    }

    @Property
    void rowsMatchTheAesLibraryAndTheBaselineScoresZero(@ForAll @IntRange(min = 1, max = 500) int n,
            @ForAll @IntRange(min = 0, max = 500) int baseCorrect, @ForAll @IntRange(min = 0, max = 500) int correct,
            @ForAll @IntRange(min = 1, max = 300) int baseLen, @ForAll @IntRange(min = 0, max = 300) int len) {
        EvalSummary base = new EvalSummary(n, Math.min(n, baseCorrect), (long) baseLen * n, 0);
        EvalSummary model = new EvalSummary(n, Math.min(n, correct), (long) len * n, 0);
        Map<Method, Map<Comparison.Decoding, EvalSummary>> r = new EnumMap<>(Method.class);
        r.put(Method.O1_PRUNER, greedy(model));
        r.put(Method.BASELINE, greedy(base));
        List<Comparison.Row> rows = Comparison.rows(r, AesWeights.PAPER);
        assertEquals(List.of(Method.BASELINE, Method.O1_PRUNER), rows.stream().map(Comparison.Row::method).toList());
        assertEquals(0, rows.get(0).aes());
        assertEquals(0, rows.get(0).aesPaper());
        Aes.Scores s = Aes.scores(base.accuracy(), base.meanLength(), model.accuracy(), model.meanLength(), AesWeights.PAPER);
        assertEquals(s.formula(), rows.get(1).aes(), 1e-12);
        assertEquals(s.paperTable(), rows.get(1).aesPaper(), 1e-12);
        assertTrue(rows.get(1).aes() <= rows.get(1).aesPaper() + 1e-12, "the table variant never scores lower");
    }
}
