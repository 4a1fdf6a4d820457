package org.o1pruner.trainer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.trainer.Fixtures;

/** Items per objective and the ledger holds they keep. */
class TrainingPlanTest {

    private static List<TrainItem> offer(TrainingPlan plan, OffsetLedger ledger, long offset, Tracked t) {
        assertTrue(ledger.accept(t.partition(), t.offset()));
        return plan.offer(t);
    }

    @Test
    void lengthHarmonizingTrainsTheFirstNSamplesAtOnce() {
        OffsetLedger ledger = new OffsetLedger();
        TrainingPlan plan = new TrainingPlan(Objective.LENGTH_HARMONIZING, new SamplesPerProblem(2), ledger);
        List<TrainItem> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            items.addAll(offer(plan, ledger, i, Fixtures.tracked(i, Fixtures.scored("p", i, 4, i % 2 == 0, 5 + i, 0.1))));
        }
        assertEquals(2, items.size());
        assertEquals(2, ledger.heldCount());
        assertEquals(2, plan.discarded());
        items.forEach(plan::trained);
        assertEquals(0, ledger.heldCount());
        assertEquals(4, ledger.snapshot().get(0).position());
    }

    @Test
    void sftWaitsForTheWholeGroup() {
        OffsetLedger ledger = new OffsetLedger();
        TrainingPlan plan = new TrainingPlan(Objective.SFT, SamplesPerProblem.ALL, ledger);
        boolean[] correct = {true, false, true, true};
        int[] lengths = {9, 3, 4, 6};
        List<TrainItem> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<TrainItem> got = offer(plan, ledger, i,
                    Fixtures.tracked(i, Fixtures.scored("p", i, 4, correct[i], lengths[i], 0)));
            if (i < 3) {
                assertEquals(List.of(), got);
                assertEquals(i + 1, ledger.heldCount());
                assertEquals(1, plan.openGroups());
            }
            items.addAll(got);
        }
        assertEquals(0, plan.openGroups());
        assertEquals(List.of(2, 3), items.stream()
                .map(it -> ((TrainItem.Single) it).sample().record().sample().sampleIndex()).toList());
        assertEquals(2, ledger.heldCount());
        assertEquals(java.util.Set.of(2L, 3L), ledger.snapshot().get(0).pending());
    }

    @Test
    void dpoKeepsTheSharedRejectedSampleHeldUntilBothPairsTrained() {
        OffsetLedger ledger = new OffsetLedger();
        TrainingPlan plan = new TrainingPlan(Objective.DPO, SamplesPerProblem.ALL, ledger);
        boolean[] correct = {true, false, true};
        int[] lengths = {4, 12, 5};
        List<TrainItem> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.addAll(offer(plan, ledger, i, Fixtures.tracked(i, Fixtures.scored("p", i, 3, correct[i], lengths[i], 0))));
        }
        assertEquals(2, items.size());
        TrainItem.Pair first = (TrainItem.Pair) items.get(0);
        assertEquals(0, first.chosen().record().sample().sampleIndex());
        assertEquals(1, first.rejected().record().sample().sampleIndex());
        plan.trained(items.get(0));
        assertEquals(java.util.Set.of(1L, 2L), ledger.snapshot().get(0).pending());
        plan.trained(items.get(1));
        assertEquals(0, ledger.heldCount());
    }

    @Test
    void aRepeatedSampleInAnOpenGroupIsReleasedUnused() {
        OffsetLedger ledger = new OffsetLedger();
        TrainingPlan plan = new TrainingPlan(Objective.SFT, SamplesPerProblem.ALL, ledger);
        offer(plan, ledger, 0, Fixtures.tracked(0, Fixtures.scored("p", 0, 3, true, 4, 0)));
        offer(plan, ledger, 1, Fixtures.tracked(1, Fixtures.scored("p", 0, 3, true, 4, 0)));
        assertEquals(1, ledger.heldCount());
        assertEquals(1, plan.discarded());
    }

    @Test
    void samplesPerProblemParses() {
        assertEquals(SamplesPerProblem.ALL, SamplesPerProblem.parse("ALL"));
        assertEquals(2, SamplesPerProblem.parse("2").n());
        assertThrows(IllegalArgumentException.class, () -> SamplesPerProblem.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SamplesPerProblem.parse("two"));
        assertEquals(Objective.LENGTH_HARMONIZING_TOKEN, Objective.fromName("LENGTH_HARMONIZING_TOKEN"));
        assertEquals(Objective.DPO, Objective.fromName("dpo"));
        assertThrows(IllegalArgumentException.class, () -> Objective.fromName("ppo"));
    }
}
