package org.o1pruner.model.train;

import java.nio.ByteBuffer;

/**
 * One AdamW update over a range of a float32 parameter, its gradient and its two moments, all
 * read and written in place through direct buffers over libtorch's memory. The arithmetic is
 * that of {@link AdamW}'s tensor path, operation for operation (each rounded to float32, no fused
 * multiply-add), so both paths give the same bits; one pass over memory replaces the dozen
 * tensor operations (each a pass of its own) that the tensor path runs per parameter.
 */
interface AdamWKernel {

    /**
     * The step's scalars.
     *
     * @param decay the weight-decay factor {@code 1 - lr·wd} ({@code 1} and {@code applyDecay}
     *     false when the parameter does not decay)
     */
    record Coefficients(boolean applyDecay, float decay, float b1, float oneMinusB1, float b2, float oneMinusB2,
            float bc2Sqrt, float eps, float stepSize) {}

    /**
     * Updates elements {@code [from, to)}: {@code w *= decay}; {@code m = m·b1 + g·(1-b1)};
     * {@code v = v·b2 + g²·(1-b2)}; {@code w -= m / (sqrt(v)/bc2Sqrt + eps) · stepSize}.
     * Buffers are in native byte order; indices count floats.
     */
    void update(ByteBuffer w, ByteBuffer g, ByteBuffer m, ByteBuffer v, int from, int to, Coefficients c);

    /** The SIMD kernel when the Vector API module is present, otherwise {@code null}. */
    static AdamWKernel vectorized() {
        return Holder.KERNEL;
    }

    /** Resolved once: the SIMD class is loaded only when its module is there. */
    final class Holder {
        static final AdamWKernel KERNEL = choose();

        private Holder() {}

        private static AdamWKernel choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    return new VectorAdamW();
                } catch (LinkageError | RuntimeException e) {
                    return null;
                }
            }
            return null;
        }
    }
}
