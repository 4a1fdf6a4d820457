package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipTest {

    private static float[] grad(NDArray p) {
        try (NDManager s = NDManager.newBaseManager()) {
            NDArray g = p.getGradient();
            g.attach(s);
            return g.toFloatArray();
        }
    }

    /** Gradients (3, 4) and (12): joint norm 13. */
    private static List<NDArray> params(NDManager mgr) {
        NDArray a = mgr.create(new float[] {0f, 0f});
        NDArray b = mgr.create(new float[] {0f});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (NDManager scope = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = a.mul(scope.create(new float[] {3f, 4f})).sum().add(b.mul(12f).sum());
            gc.backward(loss);
        }
        return List.of(a, b);
    }

    @Test
    void scalesAllGradientsByOneFactorWhenAboveTheBound() {
        try (NDManager mgr = NDManager.newBaseManager()) {
            List<NDArray> ps = params(mgr);
            double norm = GradClip.globalNorm(ps, 6.5);
            assertEquals(13.0, norm, 1e-5);
            double f = 6.5 / (13.0 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * f), (float) (4 * f)}, grad(ps.get(0)), 1e-5f);
            assertArrayEquals(new float[] {(float) (12 * f)}, grad(ps.get(1)), 1e-5f);
            assertEquals(6.5, GradClip.norm(ps), 1e-4);
        }
    }

    @Test
    void leavesGradientsAloneBelowTheBound() {
        try (NDManager mgr = NDManager.newBaseManager()) {
            List<NDArray> ps = params(mgr);
            assertEquals(13.0, GradClip.globalNorm(ps, 100), 1e-5);
            assertArrayEquals(new float[] {3f, 4f}, grad(ps.get(0)), 0f);
            assertArrayEquals(new float[] {12f}, grad(ps.get(1)), 0f);
        }
    }

    @Test
    void parametersWithoutGradientCountAsZero() {
        try (NDManager mgr = NDManager.newBaseManager()) {
            NDArray frozen = mgr.create(new float[] {5f});
            List<NDArray> ps = new java.util.ArrayList<>(params(mgr));
            ps.add(frozen);
            assertEquals(13.0, GradClip.norm(ps), 1e-5);
        }
    }
}
