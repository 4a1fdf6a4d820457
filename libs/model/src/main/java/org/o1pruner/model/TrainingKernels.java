package org.o1pruner.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row loops of {@link FusedTraining}, with the JDK's Vector API, reading and writing libtorch's
 * memory in place through native-order direct buffers. Offsets and lengths count floats.
 * Loaded only when the Vector API module is present (the fused pass is not used otherwise).
 */
final class TrainingKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private TrainingKernels() {}

    private static FloatVector load(ByteBuffer b, int i) {
        return FloatVector.fromByteBuffer(S, b, i * Float.BYTES, ORDER);
    }

    private static void store(FloatVector v, ByteBuffer b, int i) {
        v.intoByteBuffer(b, i * Float.BYTES, ORDER);
    }

    /** RMSNorm of rows {@code [n, d]}: {@code out = x · r · w}, {@code r = 1/sqrt(mean(x²) + eps)} kept in {@code r}. */
    static void rmsForward(ByteBuffer x, ByteBuffer out, float[] w, float eps, float[] r, int n, int d) {
        int vec = d / L * L;
        for (int i = 0; i < n; i++) {
            int o = i * d;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < vec; j += L) {
                FloatVector v = load(x, o + j);
                acc = v.fma(v, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (; j < d; j++) {
                float v = x.getFloat((o + j) * Float.BYTES);
                ss += v * v;
            }
            float ri = (float) (1.0 / Math.sqrt(ss / d + eps));
            r[i] = ri;
            for (j = 0; j < vec; j += L) {
                store(load(x, o + j).mul(ri).mul(FloatVector.fromArray(S, w, j)), out, o + j);
            }
            for (; j < d; j++) {
                out.putFloat((o + j) * Float.BYTES, x.getFloat((o + j) * Float.BYTES) * ri * w[j]);
            }
        }
    }

    /**
     * RMSNorm backward: {@code out = res + r·(g·w - xn·mean(g·w·xn))} with {@code xn = x·r}
     * ({@code res} may be null); adds {@code Σ g·xn} into {@code dw} when it is not null.
     */
    static void rmsBackward(ByteBuffer g, ByteBuffer x, ByteBuffer res, ByteBuffer out, float[] w, float[] r,
            float[] dw, int n, int d) {
        int vec = d / L * L;
        for (int i = 0; i < n; i++) {
            int o = i * d;
            float ri = r[i];
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < vec; j += L) {
                FloatVector gj = load(g, o + j);
                FloatVector xn = load(x, o + j).mul(ri);
                if (dw != null) {
                    gj.fma(xn, FloatVector.fromArray(S, dw, j)).intoArray(dw, j);
                }
                acc = gj.mul(FloatVector.fromArray(S, w, j)).fma(xn, acc);
            }
            float dot = acc.reduceLanes(VectorOperators.ADD);
            for (; j < d; j++) {
                float gj = g.getFloat((o + j) * Float.BYTES);
                float xn = x.getFloat((o + j) * Float.BYTES) * ri;
                if (dw != null) {
                    dw[j] += gj * xn;
                }
                dot += gj * w[j] * xn;
            }
            float mean = dot / d;
            for (j = 0; j < vec; j += L) {
                FloatVector xn = load(x, o + j).mul(ri);
                FloatVector v = load(g, o + j).mul(FloatVector.fromArray(S, w, j)).sub(xn.mul(mean)).mul(ri);
                if (res != null) {
                    v = v.add(load(res, o + j));
                }
                store(v, out, o + j);
            }
            for (; j < d; j++) {
                float xn = x.getFloat((o + j) * Float.BYTES) * ri;
                float v = ri * (g.getFloat((o + j) * Float.BYTES) * w[j] - xn * mean);
                if (res != null) {
                    v += res.getFloat((o + j) * Float.BYTES);
                }
                out.putFloat((o + j) * Float.BYTES, v);
            }
        }
    }

    private static float sigmoid(float g) {
        return (float) (1.0 / (1.0 + Math.exp(-g)));
    }

    /** {@code m = silu(g) · u} for rows {@code [g | u]} of {@code 2·ff}. */
    static void siluMul(ByteBuffer gu, ByteBuffer m, int n, int ff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int vec = ff / L * L;
        for (int i = 0; i < n; i++) {
            int in = i * 2 * ff;
            int o = i * ff;
            int j = 0;
            for (; j < vec; j += L) {
                FloatVector g = load(gu, in + j);
                FloatVector sig = one.div(one.add(g.neg().lanewise(VectorOperators.EXP)));
                store(g.mul(sig).mul(load(gu, in + ff + j)), m, o + j);
            }
            for (; j < ff; j++) {
                float g = gu.getFloat((in + j) * Float.BYTES);
                m.putFloat((o + j) * Float.BYTES, ScalarKernels.swiglu(g, gu.getFloat((in + ff + j) * Float.BYTES)));
            }
        }
    }

    /** Gradients of {@code m = silu(g) · u}: rows {@code [dg | du]} from {@code dm} and {@code [g | u]}. */
    static void siluMulBackward(ByteBuffer dm, ByteBuffer gu, ByteBuffer dgu, int n, int ff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int vec = ff / L * L;
        for (int i = 0; i < n; i++) {
            int in = i * 2 * ff;
            int o = i * ff;
            int j = 0;
            for (; j < vec; j += L) {
                FloatVector g = load(gu, in + j);
                FloatVector u = load(gu, in + ff + j);
                FloatVector dmj = load(dm, o + j);
                FloatVector sig = one.div(one.add(g.neg().lanewise(VectorOperators.EXP)));
                FloatVector silu = g.mul(sig);
                // d silu/dg = σ(g)(1 + g(1 - σ(g))) = σ + silu·(1 - σ)
                FloatVector dsilu = sig.add(silu.mul(one.sub(sig)));
                store(dmj.mul(u).mul(dsilu), dgu, in + j);
                store(dmj.mul(silu), dgu, in + ff + j);
            }
            for (; j < ff; j++) {
                float g = gu.getFloat((in + j) * Float.BYTES);
                float u = gu.getFloat((in + ff + j) * Float.BYTES);
                float dmj = dm.getFloat((o + j) * Float.BYTES);
                float sig = sigmoid(g);
                float silu = g * sig;
                dgu.putFloat((in + j) * Float.BYTES, dmj * u * (sig + silu * (1f - sig)));
                dgu.putFloat((in + ff + j) * Float.BYTES, dmj * silu);
            }
        }
    }

    /**
     * Causal softmax of one score row at offset {@code o}: over keys {@code [0, len)}, zeros for
     * {@code [len, t)}. All keys before {@code len} are visible (rows with padding take another path).
     */
    static void causalSoftmaxRow(ByteBuffer s, int o, int len, int t) {
        int vec = len / L * L;
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < vec; j += L) {
            mx = mx.max(load(s, o + j));
        }
        float max = mx.reduceLanes(VectorOperators.MAX);
        for (; j < len; j++) {
            max = Math.max(max, s.getFloat((o + j) * Float.BYTES));
        }
        FloatVector m = FloatVector.broadcast(S, max);
        FloatVector acc = FloatVector.zero(S);
        for (j = 0; j < vec; j += L) {
            FloatVector e = load(s, o + j).sub(m).lanewise(VectorOperators.EXP);
            store(e, s, o + j);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float e = (float) Math.exp(s.getFloat((o + j) * Float.BYTES) - max);
            s.putFloat((o + j) * Float.BYTES, e);
            sum += e;
        }
        float inv = 1f / sum;
        for (j = 0; j < vec; j += L) {
            store(load(s, o + j).mul(inv), s, o + j);
        }
        for (; j < len; j++) {
            s.putFloat((o + j) * Float.BYTES, s.getFloat((o + j) * Float.BYTES) * inv);
        }
        zero(s, o + len, t - len);
    }

    /** {@code dS = P · (dP - Σ P·dP)} over {@code [0, len)} of one row, in place of dP; zeros after. */
    static void softmaxBackwardRow(ByteBuffer p, ByteBuffer dp, int o, int len, int t) {
        int vec = len / L * L;
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j < vec; j += L) {
            acc = load(p, o + j).fma(load(dp, o + j), acc);
        }
        float dot = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            dot += p.getFloat((o + j) * Float.BYTES) * dp.getFloat((o + j) * Float.BYTES);
        }
        for (j = 0; j < vec; j += L) {
            store(load(p, o + j).mul(load(dp, o + j).sub(dot)), dp, o + j);
        }
        for (; j < len; j++) {
            int at = (o + j) * Float.BYTES;
            dp.putFloat(at, p.getFloat(at) * (dp.getFloat(at) - dot));
        }
        zero(dp, o + len, t - len);
    }

    /** {@code dst[o·dStride + j] += src[o·sStride + j]} for {@code o < outer}, {@code j < len}. */
    static void addRows(ByteBuffer dst, ByteBuffer src, int outer, int dStride, int sStride, int len) {
        int vec = len / L * L;
        for (int o = 0; o < outer; o++) {
            int d0 = o * dStride;
            int s0 = o * sStride;
            int j = 0;
            for (; j < vec; j += L) {
                store(load(dst, d0 + j).add(load(src, s0 + j)), dst, d0 + j);
            }
            for (; j < len; j++) {
                int at = (d0 + j) * Float.BYTES;
                dst.putFloat(at, dst.getFloat(at) + src.getFloat((s0 + j) * Float.BYTES));
            }
        }
    }

    private static void zero(ByteBuffer b, int from, int count) {
        int j = 0;
        FloatVector z = FloatVector.zero(S);
        for (; j + L <= count; j += L) {
            store(z, b, from + j);
        }
        for (; j < count; j++) {
            b.putFloat((from + j) * Float.BYTES, 0f);
        }
    }

    /**
     * One head's rotary embedding: {@code dst = scale·(x·cos + rotate_half(x)·sin)} or, with
     * {@code inverse}, its transpose; {@code cos}/{@code sin} at {@code base} hold the position's row.
     */
    static void rotate(float[] src, int off, float[] dst, int dOff, float[] cos, float[] sin, int base, int hd,
            float scale, boolean inverse) {
        int half = hd / 2;
        int vec = half / L * L;
        int i = 0;
        for (; i < vec; i += L) {
            FloatVector x1 = FloatVector.fromArray(S, src, off + i);
            FloatVector x2 = FloatVector.fromArray(S, src, off + i + half);
            FloatVector c1 = FloatVector.fromArray(S, cos, base + i);
            FloatVector s1 = FloatVector.fromArray(S, sin, base + i);
            FloatVector c2 = FloatVector.fromArray(S, cos, base + i + half);
            FloatVector s2 = FloatVector.fromArray(S, sin, base + i + half);
            if (inverse) {
                x1.mul(c1).add(x2.mul(s2)).mul(scale).intoArray(dst, dOff + i);
                x2.mul(c2).sub(x1.mul(s1)).mul(scale).intoArray(dst, dOff + i + half);
            } else {
                x1.mul(c1).sub(x2.mul(s1)).mul(scale).intoArray(dst, dOff + i);
                x2.mul(c2).add(x1.mul(s2)).mul(scale).intoArray(dst, dOff + i + half);
            }
        }
        for (; i < half; i++) {
            float x1 = src[off + i];
            float x2 = src[off + i + half];
            float c1 = cos[base + i];
            float s1 = sin[base + i];
            float c2 = cos[base + i + half];
            float s2 = sin[base + i + half];
            if (inverse) {
                dst[dOff + i] = scale * (x1 * c1 + x2 * s2);
                dst[dOff + i + half] = scale * (x2 * c2 - x1 * s1);
            } else {
                dst[dOff + i] = scale * (x1 * c1 - x2 * s1);
                dst[dOff + i + half] = scale * (x2 * c2 + x1 * s2);
            }
        }
    }
}
