package org.o1pruner.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DecoderKernels} with the JDK's Vector API (fused multiply-adds on the widest vectors the
 * CPU has). Weights are packed in panels of two vectors of outputs, contiguous along the shared
 * dimension, so a product streams memory front to back (a decoding step of a model larger than L2
 * reads every weight from L3 once). The product keeps a 4-row × 2-vector block of outputs in
 * registers while it runs down a panel, so every weight vector loaded serves four rows and no
 * partial sum goes back to memory; a single row runs two panels at once (four independent sums).
 */
final class VectorKernels implements DecoderKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Outputs per weight panel: two vectors. */
    private static final int P = 2 * L;

    /**
     * Panels of {@link #P} outputs: panel {@code p} holds {@code W[pP + j][i]} at {@code (p·in + i)·P + j},
     * zero past the last output, so a product streams every panel front to back.
     */
    @Override
    public float[] pack(float[] w, int out, int in) {
        int panels = (out + P - 1) / P;
        float[] packed = new float[panels * in * P];
        for (int o = 0; o < out; o++) {
            int p = o / P;
            int j = o % P;
            for (int i = 0; i < in; i++) {
                packed[(p * in + i) * P + j] = w[o * in + i];
            }
        }
        return packed;
    }

    @Override
    public void gemm(float[] x, int n, int in, float[] packed, int out, float[] y) {
        int panels = (out + P - 1) / P;
        float[] tail = null;
        int r = 0;
        for (; r + 4 <= n; r += 4) {
            for (int p = 0; p < panels; p++) {
                int o = p * P;
                if (o + P <= out) {
                    rows4(x, r, in, packed, p, y, r * out + o, out);
                } else {
                    tail = tail == null ? new float[4 * P] : tail;
                    for (int q = 0; q < 4; q++) {
                        System.arraycopy(y, (r + q) * out + o, tail, q * P, out - o);
                    }
                    rows4(x, r, in, packed, p, tail, 0, P);
                    for (int q = 0; q < 4; q++) {
                        System.arraycopy(tail, q * P, y, (r + q) * out + o, out - o);
                    }
                }
            }
        }
        for (; r < n; r++) {
            int p = 0;
            for (; p + 2 <= panels && (p + 2) * P <= out; p += 2) {
                row1x2(x, r, in, packed, p, y, r * out + p * P);
            }
            for (; p < panels; p++) {
                int o = p * P;
                if (o + P <= out) {
                    row1(x, r, in, packed, p, y, r * out + o);
                } else {
                    tail = tail == null ? new float[4 * P] : tail;
                    System.arraycopy(y, r * out + o, tail, 0, out - o);
                    row1(x, r, in, packed, p, tail, 0);
                    System.arraycopy(tail, 0, y, r * out + o, out - o);
                }
            }
        }
    }

    /** Rows {@code r..r+3}, one panel, into {@code y} rows {@code stride} apart from {@code y0}. */
    private static void rows4(float[] x, int r, int in, float[] packed, int p, float[] y, int y0, int stride) {
        int x0 = r * in;
        int x1 = x0 + in;
        int x2 = x1 + in;
        int x3 = x2 + in;
        int y1 = y0 + stride;
        int y2 = y1 + stride;
        int y3 = y2 + stride;
        FloatVector a0 = FloatVector.fromArray(S, y, y0);
        FloatVector b0 = FloatVector.fromArray(S, y, y0 + L);
        FloatVector a1 = FloatVector.fromArray(S, y, y1);
        FloatVector b1 = FloatVector.fromArray(S, y, y1 + L);
        FloatVector a2 = FloatVector.fromArray(S, y, y2);
        FloatVector b2 = FloatVector.fromArray(S, y, y2 + L);
        FloatVector a3 = FloatVector.fromArray(S, y, y3);
        FloatVector b3 = FloatVector.fromArray(S, y, y3 + L);
        for (int i = 0, w = p * in * P; i < in; i++, w += P) {
            FloatVector w0 = FloatVector.fromArray(S, packed, w);
            FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
            FloatVector s0 = FloatVector.broadcast(S, x[x0 + i]);
            FloatVector s1 = FloatVector.broadcast(S, x[x1 + i]);
            FloatVector s2 = FloatVector.broadcast(S, x[x2 + i]);
            FloatVector s3 = FloatVector.broadcast(S, x[x3 + i]);
            a0 = w0.fma(s0, a0);
            b0 = w1.fma(s0, b0);
            a1 = w0.fma(s1, a1);
            b1 = w1.fma(s1, b1);
            a2 = w0.fma(s2, a2);
            b2 = w1.fma(s2, b2);
            a3 = w0.fma(s3, a3);
            b3 = w1.fma(s3, b3);
        }
        a0.intoArray(y, y0);
        b0.intoArray(y, y0 + L);
        a1.intoArray(y, y1);
        b1.intoArray(y, y1 + L);
        a2.intoArray(y, y2);
        b2.intoArray(y, y2 + L);
        a3.intoArray(y, y3);
        b3.intoArray(y, y3 + L);
    }

    /** One row, one panel, into {@code y[yo, yo + P)}. */
    private static void row1(float[] x, int r, int in, float[] packed, int p, float[] y, int yo) {
        int x0 = r * in;
        FloatVector a = FloatVector.fromArray(S, y, yo);
        FloatVector b = FloatVector.fromArray(S, y, yo + L);
        for (int i = 0, w = p * in * P; i < in; i++, w += P) {
            FloatVector s = FloatVector.broadcast(S, x[x0 + i]);
            a = FloatVector.fromArray(S, packed, w).fma(s, a);
            b = FloatVector.fromArray(S, packed, w + L).fma(s, b);
        }
        a.intoArray(y, yo);
        b.intoArray(y, yo + L);
    }

    /** One row, panels {@code p} and {@code p+1} (four independent sums), into {@code y[yo, yo + 2P)}. */
    private static void row1x2(float[] x, int r, int in, float[] packed, int p, float[] y, int yo) {
        int x0 = r * in;
        FloatVector a = FloatVector.fromArray(S, y, yo);
        FloatVector b = FloatVector.fromArray(S, y, yo + L);
        FloatVector c = FloatVector.fromArray(S, y, yo + P);
        FloatVector d = FloatVector.fromArray(S, y, yo + P + L);
        int step = in * P;
        for (int i = 0, w = p * step; i < in; i++, w += P) {
            FloatVector s = FloatVector.broadcast(S, x[x0 + i]);
            a = FloatVector.fromArray(S, packed, w).fma(s, a);
            b = FloatVector.fromArray(S, packed, w + L).fma(s, b);
            c = FloatVector.fromArray(S, packed, w + step).fma(s, c);
            d = FloatVector.fromArray(S, packed, w + step + L).fma(s, d);
        }
        a.intoArray(y, yo);
        b.intoArray(y, yo + L);
        c.intoArray(y, yo + P);
        d.intoArray(y, yo + P + L);
    }

    @Override
    public void axpy(float[] y, int yo, float s, float[] w, int wo, int len) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int k = 0;
        for (; k + L <= len; k += L) {
            FloatVector.fromArray(S, w, wo + k).fma(sv, FloatVector.fromArray(S, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < len; k++) {
            y[yo + k] += s * w[wo + k];
        }
    }

    @Override
    public void scores(float[] q, int qOff, float[] kT, int kOff, int stride, int dim, int span, float[] out) {
        int j = 0;
        for (; j + 2 * L <= span; j += 2 * L) {
            FloatVector a = FloatVector.zero(S);
            FloatVector b = FloatVector.zero(S);
            for (int d = 0, k = kOff + j; d < dim; d++, k += stride) {
                FloatVector qd = FloatVector.broadcast(S, q[qOff + d]);
                a = FloatVector.fromArray(S, kT, k).fma(qd, a);
                b = FloatVector.fromArray(S, kT, k + L).fma(qd, b);
            }
            a.intoArray(out, j);
            b.intoArray(out, j + L);
        }
        for (; j + L <= span; j += L) {
            FloatVector a = FloatVector.zero(S);
            for (int d = 0, k = kOff + j; d < dim; d++, k += stride) {
                a = FloatVector.fromArray(S, kT, k).fma(FloatVector.broadcast(S, q[qOff + d]), a);
            }
            a.intoArray(out, j);
        }
        for (; j < span; j++) {
            float acc = 0f;
            for (int d = 0, k = kOff + j; d < dim; d++, k += stride) {
                acc += q[qOff + d] * kT[k];
            }
            out[j] = acc;
        }
    }

    @Override
    public void weightedSum(float[] p, int span, float[] v, int vOff, int dim, float[] out, int outOff) {
        int d = 0;
        for (; d + 2 * L <= dim; d += 2 * L) {
            FloatVector a = FloatVector.fromArray(S, out, outOff + d);
            FloatVector b = FloatVector.fromArray(S, out, outOff + d + L);
            for (int j = 0, k = vOff + d; j < span; j++, k += dim) {
                FloatVector pj = FloatVector.broadcast(S, p[j]);
                a = FloatVector.fromArray(S, v, k).fma(pj, a);
                b = FloatVector.fromArray(S, v, k + L).fma(pj, b);
            }
            a.intoArray(out, outOff + d);
            b.intoArray(out, outOff + d + L);
        }
        for (; d + L <= dim; d += L) {
            FloatVector a = FloatVector.fromArray(S, out, outOff + d);
            for (int j = 0, k = vOff + d; j < span; j++, k += dim) {
                a = FloatVector.fromArray(S, v, k).fma(FloatVector.broadcast(S, p[j]), a);
            }
            a.intoArray(out, outOff + d);
        }
        for (; d < dim; d++) {
            float acc = out[outOff + d];
            for (int j = 0, k = vOff + d; j < span; j++, k += dim) {
                acc += p[j] * v[k];
            }
            out[outOff + d] = acc;
        }
    }

    @Override
    public float expShifted(float[] v, int len, float max) {
        FloatVector m = FloatVector.broadcast(S, max);
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= len; j += L) {
            FloatVector p = FloatVector.fromArray(S, v, j).sub(m).lanewise(VectorOperators.EXP);
            p.intoArray(v, j);
            acc = acc.add(p);
        }
        return ScalarKernels.expShifted(v, j, len, max, acc.reduceLanes(VectorOperators.ADD));
    }

    @Override
    public void swiglu(float[] gateUp, int n, int width, float[] out) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < n; r++) {
            int g = r * 2 * width;
            int a = r * width;
            int j = 0;
            for (; j + L <= width; j += L) {
                FloatVector gate = FloatVector.fromArray(S, gateUp, g + j);
                FloatVector up = FloatVector.fromArray(S, gateUp, g + width + j);
                FloatVector sig = one.div(one.add(gate.neg().lanewise(VectorOperators.EXP)));
                gate.mul(sig).mul(up).intoArray(out, a + j);
            }
            for (; j < width; j++) {
                out[a + j] = ScalarKernels.swiglu(gateUp[g + j], gateUp[g + width + j]);
            }
        }
    }

    @Override
    public boolean vectorized() {
        return true;
    }
}
