package org.o1pruner.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** DPO loss against hand-computed values, and the direction of its gradient. */
class DpoLossTest {

    @Test
    void matchesTheFormulaAndPushesChosenUpRejectedDown() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {-1f, -4f});
            NDArray rejected = m.create(new float[] {-3f, -2f});
            chosen.setRequiresGradient(true);
            rejected.setRequiresGradient(true);
            NDArray refChosen = m.create(new float[] {-1.5f, -4f});
            NDArray refRejected = m.create(new float[] {-2.5f, -1f});
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                DpoLoss.Output out = DpoLoss.compute(chosen, rejected, refChosen, refRejected, 0.1);
                gc.backward(out.loss());
                // z0 = 0.1·((−1+1.5) − (−3+2.5)) = 0.1; z1 = 0.1·(0 − (−1)) = 0.1... (−2+1 = −1) → 0.1
                double z0 = 0.1;
                double z1 = 0.1 * ((-4 + 4) - (-2 + 1));
                double expected = (Math.log1p(Math.exp(-z0)) + Math.log1p(Math.exp(-z1))) / 2;
                assertEquals(expected, out.loss().getFloat(), 1e-6);
                // d/dchosen = −β·σ(−z)/N < 0 (descent raises the chosen), d/drejected = +β·σ(−z)/N
                float g0 = (float) (-0.1 / (1 + Math.exp(z0)) / 2);
                float g1 = (float) (-0.1 / (1 + Math.exp(z1)) / 2);
                assertArrayEquals(new float[] {g0, g1}, chosen.getGradient().toFloatArray(), 1e-6f);
                assertArrayEquals(new float[] {-g0, -g1}, rejected.getGradient().toFloatArray(), 1e-6f);
                assertEquals(1.0, out.rewardAccuracy());
                assertEquals((z0 + z1) / 2, out.margin(), 1e-6);
            }
        }
    }

    @Test
    void isStableForLargeMargins() {
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLoss.Output out = DpoLoss.compute(m.create(new float[] {-1f}), m.create(new float[] {-5000f}),
                    m.create(new float[] {-1f}), m.create(new float[] {-1f}), 1.0);
            assertEquals(0.0, out.loss().getFloat(), 1e-6);
            DpoLoss.Output bad = DpoLoss.compute(m.create(new float[] {-5000f}), m.create(new float[] {-1f}),
                    m.create(new float[] {-1f}), m.create(new float[] {-1f}), 1.0);
            assertEquals(4999.0, bad.loss().getFloat(), 1e-2);
            assertEquals(0.0, bad.rewardAccuracy());
        }
    }

    @Test
    void sequenceSumIgnoresPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = DpoLoss.sequenceSum(m.create(new float[][] {{-1, -2, -9}, {-3, -9, -9}}),
                    m.create(new float[][] {{1, 1, 0}, {1, 0, 0}}));
            assertArrayEquals(new float[] {-3, -3}, s.toFloatArray(), 1e-6f);
        }
    }
}
