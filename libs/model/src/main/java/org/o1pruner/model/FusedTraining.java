package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder's training pass with a hand-written backward, for float32 models on the CPU.
 *
 * <p>Autograd records about fifty tensor operations per layer, most of them elementwise passes
 * over activations (the RMSNorm, the rotary embedding, the attention mask and softmax, SwiGLU) and
 * twice as many in the backward pass. Here each of those is one loop over rows in Java (with the
 * decoder's SIMD exponential), the matrix products stay libtorch's (the q/k/v and gate/up products
 * each as one product over concatenated weights), and the attention softmax skips the causally
 * masked half. The gradients are those of the autograd forward (tests compare them).
 *
 * <p>Use: {@code TrainStep} opens a {@link Scope} around a micro-batch. A forward pass of a
 * {@link CausalLM} inside it (gradients on, no cache) runs without recording, keeps what its
 * backward needs, and returns the final-norm hidden states as a leaf that requires gradients; the
 * head and the loss are recorded by autograd as usual. After autograd's backward, {@link
 * Scope#backward()} takes the leaf's gradient back through the layers, adds each parameter's
 * gradient into the parameter's {@code .grad} (libtorch's own accumulation takes the embedding's),
 * and frees what the forward kept. Outside a scope the model records every operation as before.
 */
public final class FusedTraining {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    private static final DecoderKernels K = DecoderKernels.best();

    private FusedTraining() {}

    /**
     * Opens a scope on this thread: forward passes inside it that qualify use the fused pass, and
     * {@link Scope#backward()} completes their gradients. Scopes do not nest.
     */
    public static Scope open() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a fused training scope is already open on this thread");
        }
        Scope s = new Scope();
        CURRENT.set(s);
        return s;
    }

    /** Forward passes recorded in one micro-batch, waiting for their backward. */
    public static final class Scope implements AutoCloseable {
        private final List<Pass> passes = new ArrayList<>();
        private boolean closed;

        private Scope() {}

        /** Forward passes that ran fused in this scope so far (tests check which path ran). */
        public int passes() {
            return passes.size();
        }

        /**
         * Runs the backward of every fused forward pass in this scope (latest first) from the
         * gradients autograd left on their hidden-state leaves, then frees them. A pass whose
         * output took no part in the loss contributes nothing.
         */
        public void backward() {
            try (GradMode.Scope off = GradMode.disabled()) {
                for (int i = passes.size() - 1; i >= 0; i--) {
                    Pass p = passes.get(i);
                    p.backward();
                    p.close();
                }
            } finally {
                passes.clear();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (Pass p : passes) {
                p.close();
            }
            passes.clear();
            CURRENT.remove();
        }
    }

    /** Whether {@code model}'s forward with these arguments should run fused on this thread. */
    static boolean applies(CausalLM model, KvCache cache) {
        // a frozen model (a reference policy) records nothing either way: it stays on the plain path
        return K.vectorized() && cache == null && CURRENT.get() != null && model.dataType() == DataType.FLOAT32
                && Device.cpu().equals(model.device()) && GradMode.isEnabled()
                && model.parameters().values().stream().anyMatch(NDArray::hasGradient);
    }

    /**
     * The fused forward: final-norm hidden states {@code [B, T, d]} as a leaf that requires
     * gradients, in {@code out}'s manager.
     */
    static NDArray forward(CausalLM model, NDArray ids, long[] mask, int b, int t, NDManager out) {
        Pass pass = new Pass(model, b, t, mask);
        try {
            NDArray h = pass.forward(ids, out);
            CURRENT.get().passes.add(pass);
            return h;
        } catch (RuntimeException e) {
            pass.close();
            throw e;
        }
    }

    /** One forward pass and what its backward needs. */
    private static final class Pass implements AutoCloseable {
        private final CausalLM model;
        private final ModelConfig c;
        private final NDManager keep;
        private final int b;
        private final int t;
        private final int n;
        private final int d;
        private final int heads;
        private final int kvHeads;
        private final int groups;
        private final int hd;
        private final int qkvWidth;
        private final int ff;
        private final int[] positions;
        private final boolean[] real;
        private final int[] firstPad;
        /** Query-block boundaries for causal attention: block i holds positions [blocks[i], blocks[i+1]). */
        private final int[] blocks;
        private final RopeTables rope;
        private final Saved[] saved;
        private NDArray embedOut; // recorded gather: the embedding's gradient goes through autograd
        private NDArray finalIn;
        private float[] finalR;
        private NDArray leaf;

        /** Per layer: inputs and intermediates of the backward. */
        private static final class Saved {
            NDArray x;
            float[] r1;
            NDArray a;
            NDArray wqkv;
            NDArray qr;
            NDArray kr;
            NDArray vt;
            NDArray[] p; // attention probabilities per query block
            NDArray ot;
            NDArray x2;
            float[] r2;
            NDArray cn;
            NDArray wgu;
            NDArray gu;
            NDArray m;
        }

        Pass(CausalLM model, int b, int t, long[] mask) {
            this.model = model;
            this.c = model.config();
            this.keep = NDManager.newBaseManager(Device.cpu());
            this.b = b;
            this.t = t;
            this.n = b * t;
            this.d = c.hiddenSize();
            this.heads = c.numHeads();
            this.kvHeads = c.numKvHeads();
            this.groups = heads / kvHeads;
            this.hd = c.headDim();
            this.qkvWidth = (heads + 2 * kvHeads) * hd;
            this.ff = c.intermediateSize();
            this.rope = model.ropeTables();
            this.saved = new Saved[c.numLayers()];
            // positions = cumsum(mask) - 1, pads clamped to 0, as the recorded forward computes them
            positions = new int[n];
            real = new boolean[n];
            firstPad = new int[b];
            int count = t >= 128 ? 4 : t >= 32 ? 2 : 1;
            blocks = new int[count + 1];
            for (int i = 0; i <= count; i++) {
                blocks[i] = (int) ((long) t * i / count);
            }
            for (int i = 0; i < b; i++) {
                int seen = 0;
                firstPad[i] = t;
                for (int j = 0; j < t; j++) {
                    if (mask[i * t + j] == 0 && firstPad[i] == t) {
                        firstPad[i] = j;
                    }
                    real[i * t + j] = mask[i * t + j] != 0;
                    if (real[i * t + j]) {
                        seen++;
                    }
                    positions[i * t + j] = Math.max(0, seen - 1);
                }
            }
        }

        NDArray forward(NDArray ids, NDManager out) {
            CausalLM.Weights w = model.weights();
            try (GradMode.Scope on = GradMode.enabled()) {
                embedOut = w.embed().getNDArrayInternal().embedding(ids, w.embed(), ai.djl.ndarray.types.SparseFormat.DENSE)
                        .singletonOrThrow();
                embedOut.attach(keep);
            }
            NDArray x;
            try (GradMode.Scope off = GradMode.disabled()) {
                x = embedOut.reshape(n, d).duplicate();
                x.attach(keep);
                for (int l = 0; l < saved.length; l++) {
                    x = layerForward(l, w.layers()[l], x);
                }
                finalIn = x;
                finalR = new float[n];
                // a fresh array, not a view: autograd keeps .grad only on leaves
                leaf = rmsForward(x, w.finalNorm(), finalR, keep.create(new Shape(b, t, d), DataType.FLOAT32));
            }
            leaf.setRequiresGradient(true);
            // the caller gets a view of its own to close; this pass keeps the leaf for its .grad
            try (GradMode.Scope on = GradMode.enabled()) {
                NDArray h = leaf.reshape(b, t, d);
                h.attach(out);
                return h;
            }
        }

        private NDArray layerForward(int l, CausalLM.Layer w, NDArray x) {
            Saved s = new Saved();
            saved[l] = s;
            s.x = x;
            s.r1 = new float[n];
            s.a = rmsForward(x, w.inNorm(), s.r1);
            s.wqkv = track(ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(w.q(), w.k(), w.v()), 0));
            NDArray qkv = track(s.a.matMul(s.wqkv.transpose()));
            if (w.qb() != null) {
                qkv.addi(track(ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(w.qb(), w.kb(), w.vb()), 0)));
            }
            s.qr = empty(b, kvHeads, groups * t, hd);
            s.kr = empty(b, kvHeads, t, hd);
            s.vt = empty(b, kvHeads, t, hd);
            ropeScatter(qkv, s.qr, s.kr, s.vt);
            qkv.close();
            // causal attention in query blocks: block i's queries see keys [0, end of block i) only,
            // so the products skip most of the masked half
            s.p = new NDArray[blocks.length - 1];
            ai.djl.ndarray.NDList outs = new ai.djl.ndarray.NDList();
            for (int i = 0; i < s.p.length; i++) {
                int r0 = blocks[i];
                int r1 = blocks[i + 1];
                NDArray qi = track(s.qr.get(new NDIndex(":, :, {}:{}, :", r0 * groups, r1 * groups)));
                NDArray ki = track(s.kr.get(new NDIndex(":, :, :{}, :", r1)));
                NDArray vi = track(s.vt.get(new NDIndex(":, :, :{}, :", r1)));
                NDArray scores = track(qi.matMul(ki.transpose(0, 1, 3, 2)));
                maskedSoftmax(scores, r0, r1);
                s.p[i] = scores;
                outs.add(track(scores.matMul(vi)));
            }
            NDArray o = track(ai.djl.ndarray.NDArrays.concat(outs, 2)); // [B, Hk, T·G, D], rows (t, g)
            s.ot = track(o.reshape(b, kvHeads, t, groups, hd).transpose(0, 2, 1, 3, 4).reshape(n, heads * hd));
            o.close();
            NDArray y = s.ot.matMul(track(w.o().transpose()));
            s.x2 = track(x.add(y));
            y.close();
            s.r2 = new float[n];
            s.cn = rmsForward(s.x2, w.postNorm(), s.r2);
            s.wgu = track(ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(w.gate(), w.up()), 0));
            s.gu = track(s.cn.matMul(s.wgu.transpose()));
            s.m = empty(n, ff);
            siluMul(s.gu, s.m);
            NDArray z = s.m.matMul(track(w.down().transpose()));
            NDArray x3 = track(s.x2.add(z));
            z.close();
            return x3;
        }

        void backward() {
            if (leaf == null || !leaf.hasGradient()) {
                return;
            }
            NDArray dh = gradientOrNull(leaf);
            if (dh == null) {
                return; // the hidden states took no part in the loss
            }
            dh.attach(keep);
            CausalLM.Weights w = model.weights();
            NDArray dx = track(dh.reshape(n, d).duplicate());
            dx = rmsBackward(dx, finalIn, finalR, w.finalNorm(), null);
            int lowest = lowestTrainable(w);
            for (int l = saved.length - 1; l >= 0 && l >= lowest; l--) {
                dx = layerBackward(saved[l], w.layers()[l], dx, l > lowest || w.embed().hasGradient());
            }
            if (lowest == 0 && w.embed().hasGradient()) {
                try (GradMode.Scope on = GradMode.enabled()) {
                    JniUtils.backward((PtNDArray) embedOut, (PtNDArray) dx.reshape(b, t, d), false, false);
                }
            }
        }

        /** The lowest layer the gradient must reach: below it nothing trains. */
        private int lowestTrainable(CausalLM.Weights w) {
            if (w.embed().hasGradient()) {
                return 0;
            }
            for (int l = 0; l < saved.length; l++) {
                for (NDArray p : w.layers()[l].all()) {
                    if (p != null && p.hasGradient()) {
                        return l;
                    }
                }
            }
            return saved.length;
        }

        private NDArray layerBackward(Saved s, CausalLM.Layer w, NDArray dx3, boolean needInput) {
            // MLP: x3 = x2 + m Wd^T, m = silu(g) * u, [g | u] = cn Wgu^T
            accumulate(w.down(), () -> dx3.transpose().matMul(s.m));
            NDArray dm = track(dx3.matMul(w.down()));
            NDArray dgu = empty(n, 2 * ff);
            siluMulBackward(dm, s.gu, dgu);
            dm.close();
            if (w.gate().hasGradient() || w.up().hasGradient()) {
                NDArray dWgu = track(dgu.transpose().matMul(s.cn));
                accumulate(w.gate(), () -> dWgu.get(new NDIndex("0:{}", ff)));
                accumulate(w.up(), () -> dWgu.get(new NDIndex("{}:", ff)));
            }
            NDArray dcn = track(dgu.matMul(s.wgu));
            dgu.close();
            NDArray dx2 = rmsBackward(dcn, s.x2, s.r2, w.postNorm(), dx3);
            // attention: x2 = x + ot Wo^T
            accumulate(w.o(), () -> dx2.transpose().matMul(s.ot));
            NDArray dot = dx2.matMul(w.o());
            NDArray dO = track(dot.reshape(b, t, kvHeads, groups, hd).transpose(0, 2, 1, 3, 4)
                    .reshape(b, kvHeads, t * groups, hd));
            dot.close();
            ai.djl.ndarray.NDList dqs = new ai.djl.ndarray.NDList();
            NDArray dkr = null;
            NDArray dvt = null;
            for (int i = s.p.length - 1; i >= 0; i--) {
                int r0 = blocks[i];
                int r1 = blocks[i + 1];
                NDArray pi = s.p[i];
                NDArray dOi = track(dO.get(new NDIndex(":, :, {}:{}, :", r0 * groups, r1 * groups)));
                NDArray qi = track(s.qr.get(new NDIndex(":, :, {}:{}, :", r0 * groups, r1 * groups)));
                NDArray ki = track(s.kr.get(new NDIndex(":, :, :{}, :", r1)));
                NDArray vi = track(s.vt.get(new NDIndex(":, :, :{}, :", r1)));
                NDArray dvi = track(pi.transpose(0, 1, 3, 2).matMul(dOi)); // [B, Hk, r1, D]
                NDArray dPi = track(dOi.matMul(vi.transpose(0, 1, 3, 2)));
                softmaxBackward(pi, dPi, r0, r1);
                dqs.add(track(dPi.matMul(ki)));
                NDArray dki = track(dPi.transpose(0, 1, 3, 2).matMul(qi));
                if (dkr == null) { // the last block sees every key
                    dkr = dki;
                    dvt = dvi;
                } else {
                    addLeadingRows(dkr, dki, r1);
                    addLeadingRows(dvt, dvi, r1);
                }
                dPi.close();
            }
            dO.close();
            java.util.Collections.reverse(dqs);
            NDArray dqr = track(ai.djl.ndarray.NDArrays.concat(dqs, 2));
            NDArray dqkv = empty(n, qkvWidth);
            ropeGather(dqr, dkr, dvt, dqkv);
            dqr.close();
            dkr.close();
            dvt.close();
            if (w.q().hasGradient() || w.k().hasGradient() || w.v().hasGradient()) {
                NDArray dW = track(dqkv.transpose().matMul(s.a));
                int qw = heads * hd;
                int kw = kvHeads * hd;
                accumulate(w.q(), () -> dW.get(new NDIndex("0:{}", qw)));
                accumulate(w.k(), () -> dW.get(new NDIndex("{}:{}", qw, qw + kw)));
                accumulate(w.v(), () -> dW.get(new NDIndex("{}:", qw + kw)));
            }
            if (w.qb() != null && (w.qb().hasGradient() || w.kb().hasGradient() || w.vb().hasGradient())) {
                NDArray db = track(dqkv.sum(new int[] {0}));
                int qw = heads * hd;
                int kw = kvHeads * hd;
                accumulate(w.qb(), () -> db.get(new NDIndex("0:{}", qw)));
                accumulate(w.kb(), () -> db.get(new NDIndex("{}:{}", qw, qw + kw)));
                accumulate(w.vb(), () -> db.get(new NDIndex("{}:", qw + kw)));
            }
            if (!needInput && !w.inNorm().hasGradient()) {
                return dx2;
            }
            NDArray da = track(dqkv.matMul(s.wqkv));
            dqkv.close();
            return rmsBackward(da, s.x, s.r1, w.inNorm(), dx2);
        }

        // ---- row kernels ----

        /** {@code out = x * r * w} per row with {@code r = 1/sqrt(mean(x^2) + eps)}; keeps r. */
        private NDArray rmsForward(NDArray x, NDArray weight, float[] r) {
            return rmsForward(x, weight, r, empty(n, d));
        }

        /** As {@link #rmsForward(NDArray, NDArray, float[])}, into {@code out} ({@code n·d} floats). */
        private NDArray rmsForward(NDArray x, NDArray weight, float[] r, NDArray out) {
            TrainingKernels.rmsForward(bytes(x), bytes(out), weight.toFloatArray(), (float) c.rmsNormEps(), r, n, d);
            return out;
        }

        /**
         * The input gradient of the RMSNorm for output gradient {@code dy}, plus {@code residual}
         * when given; adds the weight's gradient. Returns a new {@code [n, d]} array.
         */
        private NDArray rmsBackward(NDArray dy, NDArray x, float[] r, NDArray weight, NDArray residual) {
            NDArray dx = empty(n, d);
            boolean trainW = weight.hasGradient();
            float[] dw = trainW ? new float[d] : null;
            TrainingKernels.rmsBackward(bytes(dy), bytes(x), residual == null ? null : bytes(residual), bytes(dx),
                    weight.toFloatArray(), r, dw, n, d);
            if (trainW) {
                accumulate(weight, () -> keep.create(dw));
            }
            return dx;
        }

        /**
         * Splits {@code qkv [n, (H + 2 Hk) D]} into rotated, scaled queries {@code [B, Hk, T·G, D]}
         * (rows by position, then group), rotated keys and values {@code [B, Hk, T, D]}: the
         * layout the batched products read.
         */
        private void ropeScatter(NDArray qkv, NDArray qr, NDArray kr, NDArray vt) {
            ropeMove(qkv, qr, kr, vt, false);
        }

        /** The transpose of {@link #ropeScatter}: gradients back into {@code [n, (H + 2 Hk) D]} rows. */
        private void ropeGather(NDArray dqr, NDArray dkr, NDArray dvt, NDArray dqkv) {
            ropeMove(dqkv, dqr, dkr, dvt, true);
        }

        /**
         * Between token rows {@code [n, (H + 2 Hk) D]} and the attention layout, rotating queries
         * (scaled) and keys on the way: forward, or with {@code backward} the transpose of the
         * forward map (gradients from the attention layout back into token rows).
         */
        private void ropeMove(NDArray rows, NDArray q, NDArray k, NDArray v, boolean backward) {
            FloatBuffer tokens = floats(rows);
            FloatBuffer qb = floats(q);
            FloatBuffer kb = floats(k);
            FloatBuffer vb = floats(v);
            float[] row = new float[qkvWidth];
            float[] seg = new float[hd];
            float scale = model.queryScale();
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    int tok = bi * t + ti;
                    int pos = positions[tok];
                    if (!backward) {
                        tokens.get(tok * qkvWidth, row, 0, qkvWidth);
                    }
                    for (int h = 0; h < heads; h++) {
                        int at = (((bi * kvHeads + h / groups) * t + ti) * groups + h % groups) * hd;
                        if (backward) {
                            qb.get(at, seg, 0, hd);
                            rotate(seg, 0, row, h * hd, pos, scale, true);
                        } else {
                            rotate(row, h * hd, seg, 0, pos, scale, false);
                            qb.put(at, seg, 0, hd);
                        }
                    }
                    for (int h = 0; h < kvHeads; h++) {
                        int at = ((bi * kvHeads + h) * t + ti) * hd;
                        int kOff = (heads + h) * hd;
                        int vOff = (heads + kvHeads + h) * hd;
                        if (backward) {
                            kb.get(at, seg, 0, hd);
                            rotate(seg, 0, row, kOff, pos, 1f, true);
                            vb.get(at, row, vOff, hd);
                        } else {
                            rotate(row, kOff, seg, 0, pos, 1f, false);
                            kb.put(at, seg, 0, hd);
                            vb.put(at, row, vOff, hd);
                        }
                    }
                    if (backward) {
                        tokens.put(tok * qkvWidth, row, 0, qkvWidth);
                    }
                }
            }
        }

        /** One head at {@code pos}: see {@link TrainingKernels#rotate}. */
        private void rotate(float[] src, int off, float[] dst, int dOff, int pos, float scale, boolean inverse) {
            TrainingKernels.rotate(src, off, dst, dOff, rope.cos, rope.sin, pos * hd, hd, scale, inverse);
        }

        /**
         * Softmax of each score row over the keys the query may see (its own and earlier real
         * tokens), in place; the rest become 0. A query that may see nothing (a left pad) gets a
         * row of zeros.
         */
        /**
         * Softmax of the score rows of query block {@code [r0, r1)} ({@code [B, Hk, (r1-r0)·G, r1]},
         * rows ordered by position then group) over the keys each query may see (its own and
         * earlier real tokens), in place; the rest become 0. A query that may see nothing (a left
         * pad) gets a row of zeros.
         */
        private void maskedSoftmax(NDArray scores, int r0, int r1) {
            java.nio.ByteBuffer sbb = bytes(scores);
            FloatBuffer sb = sbb.asFloatBuffer();
            int width = r1;
            int rows = (r1 - r0) * groups;
            float[] row = new float[width];
            int[] keys = new int[width];
            float[] exps = new float[width];
            for (int bi = 0; bi < b; bi++) {
                for (int kv = 0; kv < kvHeads; kv++) {
                    for (int lr = 0; lr < rows; lr++) {
                        int ti = r0 + lr / groups;
                        int at = ((bi * kvHeads + kv) * rows + lr) * width;
                        if (ti < firstPad[bi]) {
                            // every key up to the query is a real token: one contiguous run
                            TrainingKernels.causalSoftmaxRow(sbb, at, ti + 1, width);
                            continue;
                        }
                        sb.get(at, row, 0, width);
                        int count = 0;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j <= ti; j++) {
                            if (real[bi * t + j]) {
                                keys[count++] = j;
                                max = Math.max(max, row[j]);
                            }
                        }
                        float sum = 0;
                        for (int k = 0; k < count; k++) {
                            float e = (float) Math.exp(row[keys[k]] - max);
                            exps[k] = e;
                            sum += e;
                        }
                        java.util.Arrays.fill(row, 0f);
                        for (int k = 0; k < count; k++) {
                            row[keys[k]] = exps[k] / sum;
                        }
                        sb.put(at, row, 0, width);
                    }
                }
            }
        }

        /** {@code acc[:, :, :rows] += part} for {@code acc [B, Hk, T, D]} and {@code part [B, Hk, rows, D]}. */
        private void addLeadingRows(NDArray acc, NDArray part, int rows) {
            TrainingKernels.addRows(bytes(acc), bytes(part), b * kvHeads, t * hd, rows * hd, rows * hd);
        }

        /** {@code dS = P · (dP - Σ P·dP)} per row, in place of {@code dP}; masked entries stay 0. */
        private void softmaxBackward(NDArray p, NDArray dp, int r0, int r1) {
            java.nio.ByteBuffer pb = bytes(p);
            java.nio.ByteBuffer db = bytes(dp);
            int rows = (r1 - r0) * groups;
            int all = b * kvHeads * rows;
            for (int i = 0; i < all; i++) {
                // keys after the query have probability 0, and so gradient 0
                int ti = r0 + (i % rows) / groups;
                TrainingKernels.softmaxBackwardRow(pb, db, i * r1, ti + 1, r1);
            }
        }

        /** {@code m = silu(g) · u} for rows {@code [g | u]}. */
        private void siluMul(NDArray gu, NDArray m) {
            TrainingKernels.siluMul(bytes(gu), bytes(m), n, ff);
        }

        /**
         * Gradients of {@code m = silu(g) · u}: {@code dg = dm · u · σ(g)(1 + g(1 - σ(g)))},
         * {@code du = dm · silu(g)}, into rows {@code [dg | du]}.
         */
        private void siluMulBackward(NDArray dm, NDArray gu, NDArray dgu) {
            TrainingKernels.siluMulBackward(bytes(dm), bytes(gu), bytes(dgu), n, ff);
        }

        // ---- helpers ----

        private NDArray empty(long... shape) {
            return keep.create(new Shape(shape), DataType.FLOAT32);
        }

        private NDArray track(NDArray a) {
            a.attach(keep);
            return a;
        }

        private static FloatBuffer floats(NDArray a) {
            return bytes(a).asFloatBuffer();
        }

        private static java.nio.ByteBuffer bytes(NDArray a) {
            java.nio.ByteBuffer buf = DirectFloats.view(a);
            if (buf == null) {
                throw new IllegalStateException("fused training needs contiguous float32 CPU arrays, got " + a);
            }
            return buf;
        }

        /** Adds the gradient {@code grad.get()} into {@code param}'s {@code .grad} (when it trains). */
        private void accumulate(NDArray param, java.util.function.Supplier<NDArray> grad) {
            if (!param.hasGradient()) {
                return;
            }
            try (NDManager scope = keep.newSubManager()) {
                NDArray g = grad.get();
                g.attach(scope);
                synchronized (param) {
                    NDArray current = gradientOrNull(param);
                    if (current != null) {
                        current.attach(scope);
                        current.addi(g.reshape(current.getShape()));
                    } else {
                        try (GradMode.Scope on = GradMode.enabled()) {
                            NDArray product = param.mul(g.reshape(param.getShape()).duplicate());
                            product.attach(scope);
                            NDArray seed = product.sum();
                            JniUtils.backward((PtNDArray) seed, (PtNDArray) scope.ones(new Shape()), false, false);
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            keep.close();
        }
    }

    /**
     * The tensor's {@code .grad}, or {@code null} while it has none (DJL's {@code getGradient()}
     * answers fresh zeros then, which are not the tensor's gradient).
     */
    public static NDArray gradientOrNull(NDArray a) {
        if (!(a instanceof PtNDArray pt) || !a.hasGradient()) {
            return null;
        }
        return JniUtils.getGradient(pt);
    }
}
