package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.schema.EvalRecord;

class EvalLedgerTest {
    private final EvalJudge judge = new EvalJudge(AesWeights.PAPER, new PromotionPolicy(0.02));

    @Test
    void ignoresOtherDecodingsAndKeepsTheFirstBaseline() {
        EvalLedger ledger = new EvalLedger("greedy");
        EvalRecord sampled = judge.baseline("r", 0, "d", "sample-t1-p1-n2", new EvalSummary(10, 5, 100, 0), 1);
        assertFalse(ledger.apply(sampled));
        assertTrue(ledger.baseline("r", "d").isEmpty());
        EvalRecord first = judge.baseline("r", 0, "d", "greedy", new EvalSummary(10, 5, 100, 0), 1);
        EvalRecord second = judge.baseline("r", 0, "d", "greedy", new EvalSummary(10, 9, 10, 0), 2);
        ledger.apply(first);
        ledger.apply(second);
        assertEquals(first, ledger.baseline("r", "d").orElseThrow());
        assertTrue(ledger.baseline("r", "other").isEmpty());
        assertTrue(ledger.baseline("other", "d").isEmpty());
    }

    /** Replaying the committed records into a fresh ledger (a restart) gives the same decisions as running on. */
    @Property(tries = 200)
    void restoredLedgerDecidesLikeTheOriginal(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 40) Integer> corrects,
                                              @ForAll @IntRange(min = 1, max = 11) int crashAfter) {
        EvalLedger live = new EvalLedger("greedy");
        List<EvalRecord> log = new ArrayList<>();
        EvalRecord b = judge.baseline("r", 0, "d", "greedy", new EvalSummary(40, 20, 40L * 100, 0), 0);
        live.apply(b);
        log.add(b);
        EvalLedger restored = null;
        for (int i = 0; i < corrects.size(); i++) {
            if (i == crashAfter) {
                restored = new EvalLedger("greedy");
                log.forEach(restored::apply);
            }
            EvalSummary s = new EvalSummary(40, corrects.get(i), 40L * (100 - 5 * (i % 15)), 0);
            OptionalDouble best = live.bestAes("r", "d");
            EvalRecord r = judge.judge("r", i + 1, "d", "greedy", s, live.baseline("r", "d").orElseThrow(), best, i).record();
            if (restored != null) {
                EvalRecord again = judge.judge("r", i + 1, "d", "greedy", s, restored.baseline("r", "d").orElseThrow(),
                        restored.bestAes("r", "d"), i).record();
                assertEquals(r, again);
                restored.apply(again);
            }
            live.apply(r);
            log.add(r);
        }
        double maxPromoted = log.stream().filter(EvalRecord::promoted).mapToDouble(EvalRecord::aes).max().orElse(Double.NaN);
        if (!Double.isNaN(maxPromoted)) {
            assertEquals(maxPromoted, live.bestAes("r", "d").getAsDouble());
        }
        // promoted AES values strictly increase along the run
        double last = 0;
        for (EvalRecord r : log) {
            if (r.promoted()) {
                assertTrue(r.aes() > last);
                last = r.aes();
            }
        }
    }
}
