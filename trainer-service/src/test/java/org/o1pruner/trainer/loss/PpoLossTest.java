package org.o1pruner.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** PPO-clip losses against hand-computed values on tiny tensors, both clip branches, gradient signs. */
class PpoLossTest {
    private static final double EPS = 0.2;

    /** Loss and gradient w.r.t. the policy log-probs for one sequence-level case. */
    private record Case(float loss, float[] grad, PpoLoss.Output out) {}

    private static Case sequence(float[][] logp, float[][] mask, float[] ref, float[] adv) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(logp);
            lp.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                PpoLoss.Output out = PpoLoss.sequence(lp, m.create(mask), m.create(ref), m.create(adv), EPS);
                gc.backward(out.loss());
                return new Case(out.loss().getFloat(), lp.getGradient().toFloatArray(), out);
            }
        }
    }

    @Test
    void positiveAdvantageAboveTheClipHasNoGradientAndUsesTheClippedValue() {
        // s = mean(-1, -1) = -1, s_ref = -1.5, r = e^0.5 = 1.6487 > 1.2; A = 1
        Case c = sequence(new float[][] {{-1, -1}}, new float[][] {{1, 1}}, new float[] {-1.5f}, new float[] {1});
        assertEquals(-1.2, c.loss(), 1e-6); // max(-1.6487, -1.2)
        assertArrayEquals(new float[] {0, 0}, c.grad(), 1e-7f);
        assertEquals(1.0, c.out().clipFraction());
        assertEquals(Math.exp(0.5), c.out().meanRatio(), 1e-5);
        assertEquals(Math.exp(0.5) - 1 - 0.5, c.out().approxKl(), 1e-5);
    }

    @Test
    void negativeAdvantageAboveTheClipKeepsTheUnclippedGradient() {
        // r = e^0.5, A = -1: max(1.6487, 1.2) = 1.6487 (pessimistic branch, gradient flows)
        Case c = sequence(new float[][] {{-1, -1}}, new float[][] {{1, 1}}, new float[] {-1.5f}, new float[] {-1});
        float r = (float) Math.exp(0.5);
        assertEquals(r, c.loss(), 1e-5);
        // d/dlogp_t of -A·exp(s - s_ref) = -A·r·(1/L) = r/2: raising the probability of a bad sample raises the loss
        assertArrayEquals(new float[] {r / 2, r / 2}, c.grad(), 1e-5f);
    }

    @Test
    void positiveAdvantageBelowTheClipKeepsTheUnclippedGradient() {
        // r = e^-0.5 = 0.6065 < 0.8, A = 2: max(-1.2131, -1.6) = -1.2131
        Case c = sequence(new float[][] {{-2, -1}}, new float[][] {{1, 1}}, new float[] {-1.0f}, new float[] {2});
        float r = (float) Math.exp(-0.5);
        assertEquals(-2 * r, c.loss(), 1e-5);
        assertArrayEquals(new float[] {-r, -r}, c.grad(), 1e-5f); // -A·r/L: descent raises a good sample
    }

    @Test
    void negativeAdvantageBelowTheClipHasNoGradient() {
        // r = e^-0.5 < 0.8, A = -1: max(0.6065, 0.8) = 0.8 (clipped)
        Case c = sequence(new float[][] {{-2, -1}}, new float[][] {{1, 1}}, new float[] {-1.0f}, new float[] {-1});
        assertEquals(0.8, c.loss(), 1e-6);
        assertArrayEquals(new float[] {0, 0}, c.grad(), 1e-7f);
    }

    @Test
    void batchMeanWithPaddingUsesOnlyResponseTokens() {
        // row 0: clipped (see above) -> -1.2; row 1: s = -2 (one token, pad ignored), s_ref = -2.1,
        // r = e^0.1 inside the clip, A = -1 -> 1.10517
        Case c = sequence(new float[][] {{-1, -1}, {-2, -9}}, new float[][] {{1, 1}, {1, 0}},
                new float[] {-1.5f, -2.1f}, new float[] {1, -1});
        float r1 = (float) Math.exp(0.1);
        assertEquals((-1.2 + r1) / 2, c.loss(), 1e-5);
        // batch mean 1/2, row 1 has L = 1: gradient r1/2 on its token, 0 on its padding and on row 0
        assertArrayEquals(new float[] {0, 0, r1 / 2, 0}, c.grad(), 1e-5f);
        assertEquals(0.5, c.out().clipFraction());
        assertEquals(2, c.out().count());
    }

    @Test
    void tokenLevelRatiosAreClippedPerTokenAndTokenAveraged() {
        try (NDManager m = NDManager.newBaseManager()) {
            // tokens: log r = [0.5, 0.0 | 0.1, pad]; A = [1, -1]
            NDArray lp = m.create(new float[][] {{-1.0f, -2.0f}, {-1.0f, -5.0f}});
            lp.setRequiresGradient(true);
            NDArray ref = m.create(new float[][] {{-1.5f, -2.0f}, {-1.1f, -1.0f}});
            NDArray mask = m.create(new float[][] {{1, 1}, {1, 0}});
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                PpoLoss.Output out = PpoLoss.token(lp, ref, mask, m.create(new float[] {1, -1}), EPS);
                gc.backward(out.loss());
                float r01 = (float) Math.exp(0.1);
                // per token: max(-1.6487,-1.2) = -1.2; max(-1,-1) = -1; max(1.10517, 1.10517); padding excluded
                assertEquals((-1.2 - 1 + r01) / 3, out.loss().getFloat(), 1e-5);
                // gradients: clipped token 0; token 1: -A·r/3 = -1/3; row 1 token 0: r01/3
                assertArrayEquals(new float[] {0, -1f / 3, r01 / 3, 0}, lp.getGradient().toFloatArray(), 1e-5f);
                assertEquals(3, out.count());
                assertEquals(1.0 / 3, out.clipFraction(), 1e-9);
            }
        }
    }

    @Test
    void rejectsABadEpsilon() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[][] {{-1}});
            assertThrows(IllegalArgumentException.class,
                    () -> PpoLoss.sequence(x, x.onesLike(), m.create(new float[] {-1}), m.create(new float[] {1}), 0));
        }
    }
}
