package org.o1pruner.model;

/** {@link DecoderKernels} as plain loops: correct everywhere, several times slower than SIMD. */
final class ScalarKernels implements DecoderKernels {
    /** Outputs per block: a block of 16 rows of {@code y} stays in L1 while a weight row is reused. */
    private static final int BLOCK = 256;

    /** Transposed: {@code [in × out]}, so a product is a run of scaled additions over outputs. */
    @Override
    public float[] pack(float[] w, int out, int in) {
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return t;
    }

    @Override
    public void gemm(float[] x, int n, int in, float[] wT, int out, float[] y) {
        for (int o0 = 0; o0 < out; o0 += BLOCK) {
            int len = Math.min(BLOCK, out - o0);
            for (int i = 0; i < in; i++) {
                int wo = i * out + o0;
                for (int r = 0; r < n; r++) {
                    axpy(y, r * out + o0, x[r * in + i], wT, wo, len);
                }
            }
        }
    }

    @Override
    public void axpy(float[] y, int yo, float s, float[] w, int wo, int len) {
        for (int k = 0; k < len; k++) {
            y[yo + k] += s * w[wo + k];
        }
    }

    @Override
    public void scores(float[] q, int qOff, float[] kT, int kOff, int stride, int dim, int span, float[] out) {
        java.util.Arrays.fill(out, 0, span, 0f);
        for (int d = 0; d < dim; d++) {
            axpy(out, 0, q[qOff + d], kT, kOff + d * stride, span);
        }
    }

    @Override
    public void weightedSum(float[] p, int span, float[] v, int vOff, int dim, float[] out, int outOff) {
        for (int j = 0; j < span; j++) {
            axpy(out, outOff, p[j], v, vOff + j * dim, dim);
        }
    }

    @Override
    public float expShifted(float[] v, int len, float max) {
        return expShifted(v, 0, len, max, 0f);
    }

    @Override
    public void swiglu(float[] gateUp, int n, int width, float[] out) {
        for (int r = 0; r < n; r++) {
            int g = r * 2 * width;
            int a = r * width;
            for (int j = 0; j < width; j++) {
                out[a + j] = swiglu(gateUp[g + j], gateUp[g + width + j]);
            }
        }
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    /** {@code gate · sigmoid(gate) · up} for one element. */
    static float swiglu(float gate, float up) {
        float sig = (float) (1.0 / (1.0 + Math.exp(-gate)));
        return gate * sig * up;
    }

    /** {@code v[j] = exp(v[j] - max)} for {@code j} in {@code [from, len)}; returns {@code sum} plus the new values. */
    static float expShifted(float[] v, int from, int len, float max, float sum) {
        for (int j = from; j < len; j++) {
            float p = (float) Math.exp(v[j] - max);
            v[j] = p;
            sum += p;
        }
        return sum;
    }
}
