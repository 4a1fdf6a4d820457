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

    /** Runs {@code steps} updates of fresh parameters of the given sizes from seeded gradients. */
    private static float[][] train(int[] sizes, int steps, boolean fused, int threads) {
        java.util.Random r = new java.util.Random(11);
        try (NDManager mgr = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (int i = 0; i < sizes.length; i++) {
                float[] init = new float[sizes[i]];
                for (int j = 0; j < init.length; j++) {
                    init[j] = (float) r.nextGaussian();
                }
                NDArray p = mgr.create(init);
                p.setRequiresGradient(true);
                params.put((i % 2 == 0 ? "layer" : "norm") + i, p);
            }
            AdamW.Settings settings = new AdamW.Settings(0.9, 0.95, 1e-6, 0.1, n -> n.startsWith("layer"));
            try (AdamW opt = new AdamW(params, settings)) {
                opt.setThreads(threads);
                opt.setFusedKernel(fused);
                for (int t = 0; t < steps; t++) {
                    for (NDArray p : params.values()) {
                        float[] g = new float[Math.toIntExact(p.size())];
                        for (int j = 0; j < g.length; j++) {
                            g[j] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 4));
                        }
                        setGradient(p, g);
                    }
                    opt.step(1e-3 * (t + 1));
                    assertEquals(fused && AdamWKernel.vectorized() != null, opt.fusedSpans > 0);
                    opt.zeroGradients();
                }
                java.util.List<float[]> out = new java.util.ArrayList<>();
                for (String name : params.keySet()) {
                    out.add(params.get(name).toFloatArray());
                    out.add(opt.firstMoment(name).toFloatArray());
                    out.add(opt.secondMoment(name).toFloatArray());
                }
                return out.toArray(float[][]::new);
            }
        }
    }

    @Test
    void fusedKernelAgreesWithTheTensorPathAndIsBitStableAcrossThreads() {
        assertTrue(AdamWKernel.vectorized() != null, "tests run with the Vector API module");
        // sizes: a scalar, an odd tail, several spans plus a tail
        int[] sizes = {1, 7, 33, 3 * (1 << 15) + 5, 64};
        float[][] tensor = train(sizes, 4, false, 1);
        float[][] single = train(sizes, 4, true, 1);
        float[][] three = train(sizes, 4, true, 3);
        for (int i = 0; i < tensor.length; i++) {
            // same work split three ways: the same bits
            assertArrayEquals(single[i], three[i], 0f, "array " + i);
            for (int j = 0; j < tensor[i].length; j++) {
                // libtorch's kernels may contract a multiply and a subtraction into one FMA: an ulp
                // of the weights (order 1) per step, which near zero is many ulps of the result
                float tol = 4 * Math.ulp(Math.abs(tensor[i][j])) + 1e-6f;
                assertEquals(tensor[i][j], single[i][j], tol, "array " + i + " element " + j);
            }
        }
    }

    @Test
    void fusedKernelComputesTorchsFormulaInFloat32() {
        // one element at a time in plain float arithmetic, the operations in the documented order
        float[] w = {0.7f, -1.3f, 2.5f, 1e-3f, -4f, 0.25f, 3f, -0.5f, 1.5f};
        float[] g = {0.1f, -2f, 3e-4f, 5f, -1e-5f, 0.75f, -0.3f, 2f, 1e-2f};
        float[] m = {0.01f, 0.2f, -0.3f, 0f, 0.05f, -0.1f, 0.4f, 0f, 0.02f};
        float[] v = {1e-4f, 0.5f, 1e-6f, 0f, 2e-3f, 0.01f, 0.3f, 1f, 1e-5f};
        AdamWKernel.Coefficients c = new AdamWKernel.Coefficients(true, 0.999f, 0.9f, 0.1f, 0.95f, 0.05f, 0.3f, 1e-8f, 2e-3f);
        java.nio.ByteBuffer[] bufs = new java.nio.ByteBuffer[4];
        float[][] src = {w, g, m, v};
        for (int k = 0; k < 4; k++) {
            bufs[k] = java.nio.ByteBuffer.allocateDirect(src[k].length * 4).order(java.nio.ByteOrder.nativeOrder());
            bufs[k].asFloatBuffer().put(src[k]);
        }
        AdamWKernel.vectorized().update(bufs[0], bufs[1], bufs[2], bufs[3], 0, w.length, c);
        for (int i = 0; i < w.length; i++) {
            float mi = m[i] * c.b1() + g[i] * c.oneMinusB1();
            float vi = v[i] * c.b2() + g[i] * g[i] * c.oneMinusB2();
            float wi = w[i] * c.decay();
            float denom = (float) Math.sqrt(vi) / c.bc2Sqrt() + c.eps();
            wi = wi - mi / denom * c.stepSize();
            assertEquals(mi, bufs[2].getFloat(4 * i), 0f, "m " + i);
            assertEquals(vi, bufs[3].getFloat(4 * i), 0f, "v " + i);
            assertEquals(wi, bufs[0].getFloat(4 * i), 0f, "w " + i);
            assertEquals(g[i], bufs[1].getFloat(4 * i), 0f, "the gradient is read only");
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(1.0, 0.9, 1e-8, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(0.9, 0.9, 0, 0, n -> true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(0.9, 0.9, 1e-8, -1, n -> true));
    }
}
