package org.o1pruner.model;

/**
 * The loops of {@link JavaDecoder}: matrix products, scaled additions and the two elementwise
 * functions with an exponential. Two implementations: SIMD through the JDK's Vector API when the
 * JVM runs with {@code --add-modules jdk.incubator.vector} (what {@code ./o1p}, the tests and the
 * images do), plain loops otherwise.
 */
interface DecoderKernels {

    /**
     * A weight matrix in the layout {@link #gemm} reads.
     *
     * @param w {@code [out × in]} row-major, as Hugging Face stores a linear layer's weight
     */
    float[] pack(float[] w, int out, int in);

    /** {@code y[n × out] += x[n × in] · Wᵀ} for a weight {@code W [out × in]} packed by {@link #pack}. */
    void gemm(float[] x, int n, int in, float[] packed, int out, float[] y);

    /** {@code y[yo, yo + len) += s · w[wo, wo + len)}. */
    void axpy(float[] y, int yo, float s, float[] w, int wo, int len);

    /**
     * Attention scores against keys stored transposed: {@code out[j] = Σ_d q[qOff + d] ·
     * kT[kOff + d·stride + j]} for {@code j < span}, {@code d < dim}.
     */
    void scores(float[] q, int qOff, float[] kT, int kOff, int stride, int dim, int span, float[] out);

    /**
     * Attention output: {@code out[outOff + d] += Σ_j p[j] · v[vOff + j·dim + d]} for
     * {@code j < span}, {@code d < dim}.
     */
    void weightedSum(float[] p, int span, float[] v, int vOff, int dim, float[] out, int outOff);

    /** {@code v[i] = exp(v[i] - max)} for {@code i < len}; returns the sum of the new values. */
    float expShifted(float[] v, int len, float max);

    /**
     * SwiGLU for {@code n} rows of {@code [gate | up]} ({@code 2·width} each):
     * {@code out[r, j] = gate · sigmoid(gate) · up}.
     */
    void swiglu(float[] gateUp, int n, int width, float[] out);

    /** Whether these are the SIMD kernels. */
    boolean vectorized();

    /** The SIMD kernels when the Vector API module is present, the plain ones otherwise. */
    static DecoderKernels best() {
        return Holder.BEST;
    }

    /** Resolved once: loading the SIMD class only when its module is there. */
    final class Holder {
        static final DecoderKernels BEST = choose();

        private Holder() {}

        private static DecoderKernels choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    return new VectorKernels();
                } catch (LinkageError | RuntimeException e) {
                    return new ScalarKernels();
                }
            }
            return new ScalarKernels();
        }
    }
}
