package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.TrainItem;

/** The engine on a tiny random model with toy-world samples whose recorded log-probs are its own. */
class TrainerEngineTest {

    private static TrainerEngine.Options options(Objective o, ReferenceSource src, int checks) {
        return new TrainerEngine.Options(o, src, checks, 0.2, 0.1, -2, 4, 3e-3, 0.0, 100, 10.0, 0.0, 0, 0, 1, true);
    }

    private static List<List<TrainItem>> micro(List<ScoredRecord> records, int per) {
        List<List<TrainItem>> out = new ArrayList<>();
        List<TrainItem> cur = new ArrayList<>();
        long off = 0;
        for (ScoredRecord r : records) {
            cur.add(new TrainItem.Single(Fixtures.tracked(off++, r)));
            if (cur.size() == per) {
                out.add(cur);
                cur = new ArrayList<>();
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    @Test
    void firstStepRatiosAreOneAndTheRecordedReferenceMatchesTheFrozenCopy() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 7, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 2, 4, 1);
            CausalLM policy = model.copy(Device.cpu());
            CausalLM reference = model.copy(Device.cpu());
            try (TrainerEngine e = new TrainerEngine(policy, reference,
                    options(Objective.LENGTH_HARMONIZING, ReferenceSource.RECORDED, 1), AdvantageStats.empty())) {
                TrainerEngine.StepReport r1 = e.step(micro(recs, 4));
                assertEquals(1.0, r1.meanRatio(), 1e-4);
                assertEquals(0.0, r1.clipFraction());
                assertEquals(0.0, r1.approxKl(), 1e-6);
                assertTrue(r1.applied());
                double[] drift = e.referenceDrift();
                assertTrue(drift[1] < 1e-4, "recorded vs frozen max drift " + drift[1]);
                assertEquals(8, e.advantageStats().count());
                assertEquals(0.0, e.advantageStats().mean() - e.advantageStats().mean(), 0);
                // warm-up 0, lr > 0: the policy moved, so the second step's ratios differ from 1
                TrainerEngine.StepReport r2 = e.step(micro(recs, 4));
                assertTrue(Math.abs(r2.meanRatio() - 1.0) > 1e-5, "ratio after an update: " + r2.meanRatio());
                assertTrue(r2.approxKl() > 0);
                assertEquals(2, e.stepCount());
                assertEquals(1, e.checkedBatches());
            }
        }
    }

    @Test
    void positiveAdvantageSamplesGainProbabilityUnderLengthHarmonizing() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 11, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 3, 4, 2);
            try (TrainerEngine e = new TrainerEngine(model.copy(Device.cpu()), null,
                    options(Objective.LENGTH_HARMONIZING, ReferenceSource.RECORDED, 0), AdvantageStats.empty())) {
                e.step(micro(recs, 6));
                TrainerEngine.StepReport after = e.step(micro(recs, 6));
                // the surrogate -A·r falls: the update moved probability toward positive-advantage samples
                assertTrue(after.loss() < 0, "loss after one update: " + after.loss());
            }
        }
    }

    @Test
    void parallelMicroBatchesTrainLikeSerialOnes() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 13, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 4, 4, 5);
            TrainerEngine.Options serial = options(Objective.LENGTH_HARMONIZING, ReferenceSource.RECORDED, 0);
            try (TrainerEngine a = new TrainerEngine(model.copy(Device.cpu()), null, serial, AdvantageStats.empty());
                    TrainerEngine b = new TrainerEngine(model.copy(Device.cpu()), null,
                            serial.withParallelMicroBatches(2), AdvantageStats.empty())) {
                for (int i = 0; i < 3; i++) {
                    TrainerEngine.StepReport ra = a.step(micro(recs, 4));
                    TrainerEngine.StepReport rb = b.step(micro(recs, 4));
                    assertEquals(ra.loss(), rb.loss(), 1e-5, "loss, step " + i);
                    assertEquals(ra.meanRatio(), rb.meanRatio(), 1e-5, "mean ratio, step " + i);
                    assertEquals(ra.clipFraction(), rb.clipFraction(), 1e-9, "clip fraction, step " + i);
                    assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-4 * ra.gradNorm(), "grad norm, step " + i);
                }
                for (var e : a.policy().parameters().entrySet()) {
                    float[] x = e.getValue().toFloatArray();
                    float[] y = b.policy().parameters().get(e.getKey()).toFloatArray();
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(x[i], y[i], 1e-5, e.getKey());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Objective.class, names = {"LENGTH_HARMONIZING", "SFT"})
    void theFusedBackwardTrainsLikeTheRecordedOne(Objective objective) {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 17, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 4, 4, 6);
            TrainerEngine.Options fused = options(objective, ReferenceSource.RECORDED, 0);
            TrainerEngine.Options recorded = new TrainerEngine.Options(objective, ReferenceSource.RECORDED, 0, 0.2, 0.1,
                    -2, 4, 3e-3, 0.0, 100, 10.0, 0.0, 0, 0, 1, false);
            try (TrainerEngine a = new TrainerEngine(model.copy(Device.cpu()), null, recorded, AdvantageStats.empty());
                    TrainerEngine b = new TrainerEngine(model.copy(Device.cpu()), null, fused, AdvantageStats.empty())) {
                for (int i = 0; i < 3; i++) {
                    TrainerEngine.StepReport ra = a.step(micro(recs, 4));
                    TrainerEngine.StepReport rb = b.step(micro(recs, 4));
                    // step 0 sees identical weights; later steps weights that differ by float32 rounding
                    double tol = i == 0 ? 1e-5 : 1e-3;
                    assertEquals(ra.loss(), rb.loss(), tol * Math.max(1, Math.abs(ra.loss())), "loss, step " + i);
                    assertEquals(ra.meanRatio(), rb.meanRatio(), tol, "mean ratio, step " + i);
                    assertEquals(ra.gradNorm(), rb.gradNorm(), tol * ra.gradNorm(), "grad norm, step " + i);
                }
            }
        }
    }

    @Test
    void theFusedBackwardTrainsDpoWithAFrozenReferenceLikeTheRecordedOne() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 19, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 3, 4, 8);
            List<TrainItem> pairs = new ArrayList<>();
            for (int g = 0; g < 3; g++) {
                List<ScoredRecord> group = recs.subList(4 * g, 4 * g + 4);
                pairs.add(new TrainItem.Pair(Fixtures.tracked(2 * g, group.get(0)), Fixtures.tracked(2 * g + 1, group.get(1))));
            }
            List<List<TrainItem>> step = List.of(pairs);
            TrainerEngine.Options fused = options(Objective.DPO, ReferenceSource.FROZEN, 0);
            TrainerEngine.Options recorded = new TrainerEngine.Options(Objective.DPO, ReferenceSource.FROZEN, 0, 0.2, 0.1,
                    -2, 4, 3e-3, 0.0, 100, 10.0, 0.0, 0, 0, 1, false);
            try (TrainerEngine a = new TrainerEngine(model.copy(Device.cpu()), model.copy(Device.cpu()), recorded,
                    AdvantageStats.empty());
                    TrainerEngine b = new TrainerEngine(model.copy(Device.cpu()), model.copy(Device.cpu()), fused,
                            AdvantageStats.empty())) {
                for (int i = 0; i < 3; i++) {
                    TrainerEngine.StepReport ra = a.step(step);
                    TrainerEngine.StepReport rb = b.step(step);
                    double tol = i == 0 ? 1e-5 : 1e-3;
                    assertEquals(ra.loss(), rb.loss(), tol, "loss, step " + i);
                    assertEquals(ra.gradNorm(), rb.gradNorm(), tol * ra.gradNorm(), "grad norm, step " + i);
                }
            }
        }
    }

    @Test
    void sftLossFallsOnRepeatedData() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 3, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 2, 2, 3);
            try (TrainerEngine e = new TrainerEngine(model.copy(Device.cpu()), null,
                    options(Objective.SFT, ReferenceSource.RECORDED, 0), AdvantageStats.empty())) {
                double first = e.step(micro(recs, 2)).loss();
                double last = first;
                for (int i = 0; i < 5; i++) {
                    last = e.step(micro(recs, 2)).loss();
                }
                assertTrue(last < first - 0.1, "SFT loss " + first + " -> " + last);
            }
        }
    }

    @Test
    void dpoWithAFrozenReferenceStartsAtLog2AndLearnsThePreference(@TempDir Path tmp) {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 5, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 2, 6, 4);
            List<TrainItem> pairs = new ArrayList<>();
            for (int g = 0; g < 2; g++) {
                List<ScoredRecord> group = recs.subList(6 * g, 6 * g + 6);
                ScoredRecord shortest = group.stream().min(java.util.Comparator.comparingInt(ScoredRecord::length)).orElseThrow();
                ScoredRecord longest = group.stream().max(java.util.Comparator.comparingInt(ScoredRecord::length)).orElseThrow();
                assertTrue(longest.length() > shortest.length(), "the toy traces of a problem differ in length");
                pairs.add(new TrainItem.Pair(Fixtures.tracked(2 * g, shortest), Fixtures.tracked(2 * g + 1, longest)));
            }
            List<List<TrainItem>> step = List.of(pairs);
            try (TrainerEngine e = new TrainerEngine(model.copy(Device.cpu()), model.copy(Device.cpu()),
                    options(Objective.DPO, ReferenceSource.FROZEN, 0), AdvantageStats.empty())) {
                TrainerEngine.StepReport r1 = e.step(step);
                assertEquals(Math.log(2), r1.loss(), 1e-4);
                TrainerEngine.StepReport r2 = e.step(step);
                assertTrue(r2.loss() < Math.log(2), "DPO loss after one update " + r2.loss());
                TrainerEngine.StepReport r = r2;
                for (int i = 0; i < 3; i++) {
                    r = e.step(step);
                }
                assertEquals(1.0, r.dpoAccuracy(), "implicit reward prefers every chosen sample");
                assertTrue(r.loss() < r2.loss());
            }
        }
    }

    @Test
    void tokenVariantRunsAndStartsAtRatioOne() {
        try (CausalLM model = CausalLM.random(TestWorld.config(32, 2), 9, Device.cpu())) {
            List<ScoredRecord> recs = TestWorld.scored(model, 0, 1, 4, 5);
            try (TrainerEngine e = new TrainerEngine(model.copy(Device.cpu()), null,
                    options(Objective.LENGTH_HARMONIZING_TOKEN, ReferenceSource.RECORDED, 0), AdvantageStats.empty())) {
                TrainerEngine.StepReport r = e.step(micro(recs, 2));
                assertEquals(1.0, r.meanRatio(), 1e-4);
                assertEquals(2, r.items() / 2);
            }
        }
    }
}
