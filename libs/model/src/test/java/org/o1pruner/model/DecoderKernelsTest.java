package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both kernel sets against plain double-precision arithmetic, over every tail of the blocking. */
class DecoderKernelsTest {

    private static List<DecoderKernels> kernels() {
        List<DecoderKernels> all = new ArrayList<>(List.of(new ScalarKernels()));
        if (DecoderKernels.best().vectorized()) {
            all.add(DecoderKernels.best());
        }
        return all;
    }

    @Test
    void theTestJvmHasTheVectorKernels() {
        // surefire runs with --add-modules jdk.incubator.vector, as ./o1p and the images do
        assertTrue(DecoderKernels.best().vectorized());
    }

    @Test
    void gemmMatchesTheDefinitionForEveryShapeOfBlock() {
        Random rng = new Random(11);
        for (DecoderKernels k : kernels()) {
            for (int n : new int[] {1, 2, 3, 4, 5, 8, 9, 16}) {
                for (int in : new int[] {1, 7, 64}) {
                    for (int out : new int[] {1, 15, 16, 17, 31, 33, 64, 65, 100, 130}) {
                        float[] x = random(rng, n * in);
                        float[] w = random(rng, in * out);
                        float[] y = random(rng, n * out);
                        double[] expected = new double[n * out];
                        for (int r = 0; r < n; r++) {
                            for (int o = 0; o < out; o++) {
                                double acc = y[r * out + o];
                                for (int i = 0; i < in; i++) {
                                    acc += (double) x[r * in + i] * w[o * in + i];
                                }
                                expected[r * out + o] = acc;
                            }
                        }
                        k.gemm(x, n, in, k.pack(w, out, in), out, y); // w is [out × in]
                        for (int i = 0; i < y.length; i++) {
                            assertEquals(expected[i], y[i], 1e-4 * Math.max(1, Math.abs(expected[i])),
                                    k.getClass().getSimpleName() + " n=" + n + " in=" + in + " out=" + out + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void axpyExpAndSwigluMatchTheirDefinitions() {
        Random rng = new Random(12);
        for (DecoderKernels k : kernels()) {
            for (int len : new int[] {1, 5, 16, 17, 40}) {
                float[] y = random(rng, len + 3);
                float[] w = random(rng, len + 5);
                float[] before = y.clone();
                k.axpy(y, 3, 0.5f, w, 5, len);
                for (int i = 0; i < y.length; i++) {
                    float want = i < 3 ? before[i] : before[i] + 0.5f * w[i - 3 + 5];
                    assertEquals(want, y[i], 1e-6, "axpy " + i);
                }
                float[] v = random(rng, len);
                float[] orig = v.clone();
                float sum = k.expShifted(v, len, 2f);
                double total = 0;
                for (int i = 0; i < len; i++) {
                    double e = Math.exp(orig[i] - 2.0);
                    total += e;
                    assertEquals(e, v[i], 1e-6 * Math.max(1, e), "exp " + i);
                }
                assertEquals(total, sum, 1e-5 * total);
                int n = 3;
                float[] gu = random(rng, n * 2 * len);
                float[] act = new float[n * len];
                k.swiglu(gu, n, len, act);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < len; j++) {
                        double g = gu[r * 2 * len + j];
                        double want = g / (1 + Math.exp(-g)) * gu[r * 2 * len + len + j];
                        assertEquals(want, act[r * len + j], 1e-5, "swiglu " + r + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void attentionScoresAndWeightedSumsMatchTheirDefinitions() {
        Random rng = new Random(13);
        for (DecoderKernels k : kernels()) {
            for (int dim : new int[] {1, 10, 16, 32, 40, 64}) {
                for (int span : new int[] {1, 3, 16, 17, 33, 70}) {
                    int stride = span + 5;
                    float[] q = random(rng, dim + 2);
                    float[] kT = random(rng, 3 + dim * stride);
                    float[] scores = new float[span];
                    k.scores(q, 2, kT, 3, stride, dim, span, scores);
                    for (int j = 0; j < span; j++) {
                        double want = 0;
                        for (int d = 0; d < dim; d++) {
                            want += (double) q[2 + d] * kT[3 + d * stride + j];
                        }
                        assertEquals(want, scores[j], 1e-4 * Math.max(1, Math.abs(want)), "scores dim " + dim + " span " + span);
                    }
                    float[] v = random(rng, 4 + span * dim);
                    float[] out = random(rng, dim + 1);
                    float[] before = out.clone();
                    k.weightedSum(scores, span, v, 4, dim, out, 1);
                    assertEquals(before[0], out[0], "outside the range is untouched");
                    for (int d = 0; d < dim; d++) {
                        double want = before[1 + d];
                        for (int j = 0; j < span; j++) {
                            want += (double) scores[j] * v[4 + j * dim + d];
                        }
                        assertEquals(want, out[1 + d], 1e-3 * Math.max(1, Math.abs(want)), "weighted sum dim " + dim + " span " + span);
                    }
                }
            }
        }
    }

    private static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian() * 2;
        }
        return a;
    }
}
