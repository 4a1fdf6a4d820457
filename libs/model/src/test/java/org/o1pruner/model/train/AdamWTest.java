package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

    /** Sets the gradient of p to c by back-propagating sum(p * c). */
    private static void setGradient(NDArray p, float[] c) {
        try (NDManager scope = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray coeff = scope.create(c);
            if (p.getDataType() != DataType.FLOAT32) {
                coeff = coeff.toType(p.getDataType(), false);
            }
            gc.backward(coeff.mul(p).sum());
        }
    }

    @Test
    void twoStepsMatchHandComputedUpdate() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double[] w = {1.0, -2.0, 3.0};
        float[][] grads = {{0.5f, -1.0f, 2.0f}, {-0.25f, 0.75f, 1.5f}};
        try (NDManager mgr = NDManager.newBaseManager()) {
            NDArray p = mgr.create(new float[] {1f, -2f, 3f});
            p.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("w", p);
            try (AdamW opt = new AdamW(params, new AdamW.Settings(b1, b2, eps, wd, n -> true))) {
                double[] m = new double[3], v = new double[3];
                for (int t = 1; t <= 2; t++) {
                    setGradient(p, grads[t - 1]);
                    opt.step(lr);
                    opt.zeroGradients();
                    for (int i = 0; i < 3; i++) {
                        double g = grads[t - 1][i];
                        w[i] *= 1 - lr * wd;
                        m[i] = b1 * m[i] + (1 - b1) * g;
                        v[i] = b2 * v[i] + (1 - b2) * g * g;
                        double mhat = m[i] / (1 - Math.pow(b1, t));
                        double vhat = v[i] / (1 - Math.pow(b2, t));
                        w[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
                    }
                    float[] got = p.toFloatArray();
                    float[] gotM = opt.firstMoment("w").toFloatArray();
                    float[] gotV = opt.secondMoment("w").toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        assertEquals(w[i], got[i], 1e-6, "param " + i + " after step " + t);
                        assertEquals(m[i], gotM[i], 1e-7, "m " + i + " after step " + t);
                        assertEquals(v[i], gotV[i], 1e-7, "v " + i + " after step " + t);
                    }
                }
                assertEquals(2, opt.stepCount());
            }
        }
    }

    @Test
    void noDecayWhereTheFilterExempts() {
        try (NDManager mgr = NDManager.newBaseManager()) {
            NDArray bias = mgr.create(new float[] {1f});
            bias.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("model.layers.0.self_attn.q_proj.bias", bias);
            AdamW.Settings s = AdamW.Settings.defaults().withWeightDecay(0.5).exemptBiasAndNorm();
            try (AdamW opt = new AdamW(params, s)) {
                setGradient(bias, new float[] {0f});
                opt.step(0.1); // zero gradient: only weight decay could move it
                assertEquals(1f, bias.getFloat(), 0f);
            }
        }
    }

    @Test
    void float16ParametersKeepFloat32MasterWeights() {
        // bfloat16 is the usual choice on GPUs, but DJL 0.36's CPU build aborts the JVM on any
        // bfloat16 array, so the mixed-precision path is tested with float16
        try (NDManager mgr = NDManager.newBaseManager()) {
            NDArray p = mgr.create(new float[] {1f, 1f}).toType(DataType.FLOAT16, false);
            p.setRequiresGradient(true);
            try (AdamW opt = new AdamW(Map.of("w", p), AdamW.Settings.defaults().withWeightDecay(0))) {
                // 1 - 1e-4 is not representable in float16 (spacing below 1 is 2^-11): without master
                // weights, 100 steps of 1e-4 would round away to nothing.
                for (int i = 0; i < 100; i++) {
                    setGradient(p, new float[] {1f, -1f});
                    opt.step(1e-4);
                    opt.zeroGradients();
                }
                float[] got = p.toType(DataType.FLOAT32, false).toFloatArray();
                assertEquals(0.99f, got[0], 1e-3f);
                assertEquals(1.01f, got[1], 1e-3f);
                assertEquals(DataType.FLOAT16, p.getDataType());
            }
        }
    }

    @Test
    void saveAndLoadRestoresStateBitExactly(@TempDir Path dir) throws Exception {
        try (TinyNet net = new TinyNet(3)) {
            float[][] x = TinyNet.features(1, 16);
            int[] y = TinyNet.labels(1, 16);
            Map<String, NDArray> params = new LinkedHashMap<>(net.params);
            params.values().forEach(a -> a.setRequiresGradient(true));
            try (AdamW opt = new AdamW(params, AdamW.Settings.defaults())) {
                for (int i = 0; i < 3; i++) {
                    try (NDManager scope = NDManager.newBaseManager();
                            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(net.loss(scope, x, y));
                    }
                    opt.step(1e-2);
                    opt.zeroGradients();
                }
                opt.save(dir);
                assertTrue(Files.isRegularFile(dir.resolve(AdamW.STATE_FILE)));
                try (AdamW fresh = new AdamW(params, AdamW.Settings.defaults())) {
                    fresh.load(dir);
                    assertEquals(3, fresh.stepCount());
                    for (String n : params.keySet()) {
                        assertArrayEquals(opt.firstMoment(n).toByteArray(), fresh.firstMoment(n).toByteArray(), n);
                        assertArrayEquals(opt.secondMoment(n).toByteArray(), fresh.secondMoment(n).toByteArray(), n);
                    }
                }
                try (AdamW other = new AdamW(params, AdamW.Settings.defaults().withWeightDecay(0.1))) {
                    Exception e = assertThrows(java.io.IOException.class, () -> other.load(dir));
                    assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
                }
                Map<String, NDArray> fewer = new LinkedHashMap<>(params);
                fewer.remove("lm_head.weight");
                try (AdamW other = new AdamW(fewer, AdamW.Settings.defaults())) {
                    Exception e = assertThrows(java.io.IOException.class, () -> other.load(dir));
                    assertTrue(e.getMessage().contains("tensors"), e.getMessage());
                }
            }
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(1.0, 0.9, 1e-8, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(0.9, 0.9, 0, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(0.9, 0.9, 1e-8, -1, n -> true));
    }
}
