package org.o1pruner.model.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link AdamWKernel} with the JDK's Vector API: the widest float vectors the CPU has. */
final class VectorAdamW implements AdamWKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void update(ByteBuffer w, ByteBuffer g, ByteBuffer m, ByteBuffer v, int from, int to, Coefficients c) {
        int i = from;
        int end = from + (to - from) / L * L;
        FloatVector decay = FloatVector.broadcast(S, c.decay());
        FloatVector b1 = FloatVector.broadcast(S, c.b1());
        FloatVector omb1 = FloatVector.broadcast(S, c.oneMinusB1());
        FloatVector b2 = FloatVector.broadcast(S, c.b2());
        FloatVector omb2 = FloatVector.broadcast(S, c.oneMinusB2());
        FloatVector bc2 = FloatVector.broadcast(S, c.bc2Sqrt());
        FloatVector eps = FloatVector.broadcast(S, c.eps());
        FloatVector stepSize = FloatVector.broadcast(S, c.stepSize());
        boolean applyDecay = c.applyDecay();
        for (; i < end; i += L) {
            int off = i * Float.BYTES;
            FloatVector gi = FloatVector.fromByteBuffer(S, g, off, ORDER);
            FloatVector mi = FloatVector.fromByteBuffer(S, m, off, ORDER).mul(b1).add(gi.mul(omb1));
            FloatVector vi = FloatVector.fromByteBuffer(S, v, off, ORDER).mul(b2).add(gi.mul(gi).mul(omb2));
            FloatVector wi = FloatVector.fromByteBuffer(S, w, off, ORDER);
            if (applyDecay) {
                wi = wi.mul(decay);
            }
            FloatVector denom = vi.sqrt().div(bc2).add(eps);
            wi = wi.sub(mi.div(denom).mul(stepSize));
            mi.intoByteBuffer(m, off, ORDER);
            vi.intoByteBuffer(v, off, ORDER);
            wi.intoByteBuffer(w, off, ORDER);
        }
        for (; i < to; i++) {
            int off = i * Float.BYTES;
            float gi = g.getFloat(off);
            float mi = m.getFloat(off) * c.b1() + gi * c.oneMinusB1();
            float vi = v.getFloat(off) * c.b2() + gi * gi * c.oneMinusB2();
            float wi = w.getFloat(off);
            if (applyDecay) {
                wi *= c.decay();
            }
            float denom = (float) Math.sqrt(vi) / c.bc2Sqrt() + c.eps();
            m.putFloat(off, mi);
            v.putFloat(off, vi);
            w.putFloat(off, wi - mi / denom * c.stepSize());
        }
    }
}
