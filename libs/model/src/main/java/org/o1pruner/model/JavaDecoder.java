package org.o1pruner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Incremental decoding of a float32 {@link CausalLM} on the CPU in plain Java: the same decoder
 * (RMSNorm, grouped-query attention with rotary positions, SwiGLU, output head) over a snapshot of
 * the parameters, with no native call per token.
 *
 * <p>Why it exists: a decoding step of a small model is a few hundred tiny operations, and through
 * DJL each costs a JNI round trip, a native tensor and a Java wrapper (~10 µs), several times the
 * arithmetic. Here a step is a handful of loops over plain arrays ({@link DecoderKernels}: SIMD
 * through the Vector API, with weights packed for streaming and register-blocked products); keys
 * are cached transposed ({@code [D, T]}) so attention scores are runs of {@code y += s · k} too.
 * Rows of a batch are independent and split across threads.
 *
 * <p>Arithmetic is the model's, in float32, with a different summation order than libtorch: logits
 * agree with {@link CausalLM#forward} to ~1e-5 (tested). The snapshot is taken when the decoder is
 * created; later in-place updates of the model's parameters are not seen.
 *
 * <p>A decoder is immutable and may be shared; each {@link Session} belongs to one thread (which
 * it may fan a step out from) and reuses its work arrays from step to step.
 */
public final class JavaDecoder {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(daemonThreads());

    private final int layers;
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int groups;
    private final int headDim;
    private final int inter;
    private final int vocab;
    private final int qkvOut;
    private final int maxPositions;
    private final float eps;
    private final float queryScale;
    private final float[] embed;
    private final float[] headT;
    private final float[] finalNorm;
    private final Layer[] w;
    private final float[] cos;
    private final float[] sin;
    private final DecoderKernels k = DecoderKernels.best();

    private record Layer(float[] inNorm, float[] qkvT, float[] qkvBias, float[] oT, float[] postNorm,
            float[] gateUpT, float[] downT) {} // matrices packed by the kernels

    private JavaDecoder(CausalLM model) {
        ModelConfig c = model.config();
        layers = c.numLayers();
        hidden = c.hiddenSize();
        heads = c.numHeads();
        kvHeads = c.numKvHeads();
        groups = heads / kvHeads;
        headDim = c.headDim();
        inter = c.intermediateSize();
        vocab = c.vocabSize();
        maxPositions = c.maxPositionEmbeddings();
        eps = (float) c.rmsNormEps();
        queryScale = (float) (1.0 / Math.sqrt(headDim));
        int q = heads * headDim;
        int kv = kvHeads * headDim;
        qkvOut = q + 2 * kv;
        java.util.Map<String, NDArray> p = model.parameters();
        embed = floats(p.get("model.embed_tokens.weight"));
        headT = k.pack(c.tieWordEmbeddings() ? embed : floats(p.get("lm_head.weight")), vocab, hidden);
        finalNorm = floats(p.get("model.norm.weight"));
        w = new Layer[layers];
        for (int l = 0; l < layers; l++) {
            String n = "model.layers." + l + ".";
            float[] qkv = concat(floats(p.get(n + "self_attn.q_proj.weight")),
                    floats(p.get(n + "self_attn.k_proj.weight")), floats(p.get(n + "self_attn.v_proj.weight")));
            float[] bias = new float[qkvOut];
            if (c.attentionBias()) {
                bias = concat(floats(p.get(n + "self_attn.q_proj.bias")), floats(p.get(n + "self_attn.k_proj.bias")),
                        floats(p.get(n + "self_attn.v_proj.bias")));
            }
            float[] gateUp = concat(floats(p.get(n + "mlp.gate_proj.weight")), floats(p.get(n + "mlp.up_proj.weight")));
            w[l] = new Layer(floats(p.get(n + "input_layernorm.weight")), k.pack(qkv, qkvOut, hidden), bias,
                    k.pack(floats(p.get(n + "self_attn.o_proj.weight")), hidden, q),
                    floats(p.get(n + "post_attention_layernorm.weight")), k.pack(gateUp, 2 * inter, hidden),
                    k.pack(floats(p.get(n + "mlp.down_proj.weight")), hidden, inter));
        }
        RopeTables rope = RopeTables.of(c);
        cos = rope.cos;
        sin = rope.sin;
    }

    /**
     * Snapshots the parameters of {@code model}.
     *
     * @throws IllegalArgumentException unless the model is float32 on the CPU
     */
    public static JavaDecoder of(CausalLM model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("the Java decoder runs float32 models on the CPU, not "
                    + model.dataType() + " on " + model.device());
        }
        try (GradMode.Scope ignored = GradMode.disabled()) {
            return new JavaDecoder(model);
        }
    }

    /** Whether the SIMD kernels are in use (the JVM runs with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorized() {
        return DecoderKernels.best().vectorized();
    }

    /** Whether {@link #of(CausalLM)} accepts this model. */
    public static boolean supports(CausalLM model) {
        return model.dataType() == DataType.FLOAT32 && "cpu".equals(model.device().getDeviceType());
    }

    /** Vocabulary size (length of a row of logits). */
    public int vocabSize() {
        return vocab;
    }

    /**
     * A decoding session with a cache for {@code rows} sequences of up to {@code maxLength}
     * positions each.
     *
     * @param threads rows of a step are split across this many threads (the caller's included)
     */
    public Session session(int rows, int maxLength, int threads) {
        if (rows < 1 || maxLength < 1 || threads < 1) {
            throw new IllegalArgumentException("rows, maxLength and threads must be positive");
        }
        if (maxLength > maxPositions) {
            throw new IllegalArgumentException("maxLength " + maxLength + " exceeds max_position_embeddings "
                    + maxPositions);
        }
        return new Session(rows, maxLength, threads);
    }

    /**
     * The cache and positions of a batch of independent sequences. Each row has its own length:
     * rows need no padding and may be fed different numbers of tokens in one step.
     */
    public final class Session {
        private final int rows;
        private final int maxLength;
        private final int threads;
        private final int[] length;
        /** Per layer: keys transposed, [row][kvHead][D][T]. */
        private final float[][] keysT;
        /** Per layer: values, [row][kvHead][T][D]. */
        private final float[][] values;
        /** Work arrays per part of a step (part 0 runs on the caller's thread). */
        private final Scratch[] scratch;

        private Session(int rows, int maxLength, int threads) {
            this.rows = rows;
            this.maxLength = maxLength;
            this.threads = threads;
            this.length = new int[rows];
            long perLayer = (long) rows * kvHeads * maxLength * headDim;
            if (perLayer > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("cache of " + perLayer + " floats per layer is too large");
            }
            keysT = new float[layers][(int) perLayer];
            values = new float[layers][(int) perLayer];
            scratch = new Scratch[threads];
            for (int i = 0; i < threads; i++) {
                scratch[i] = new Scratch();
            }
        }

        /** Positions already cached in {@code row}. */
        public int length(int row) {
            return length[row];
        }

        /**
         * Feeds tokens and returns the logits after the last token of each listed row.
         *
         * @param rowIds the rows fed in this step, each at most once
         * @param tokens per listed row, the tokens to append (at least one)
         * @return {@code [rowIds.length × vocab]} float32 logits, in the order of {@code rowIds}
         */
        public float[] step(int[] rowIds, int[][] tokens) {
            if (rowIds.length != tokens.length) {
                throw new IllegalArgumentException("one token array per row expected");
            }
            boolean[] seen = new boolean[rows];
            for (int i = 0; i < rowIds.length; i++) {
                int r = rowIds[i];
                if (r < 0 || r >= rows || seen[r]) {
                    throw new IllegalArgumentException("row " + r + " out of range or repeated");
                }
                seen[r] = true;
                if (tokens[i].length == 0) {
                    throw new IllegalArgumentException("row " + r + " fed no tokens");
                }
                if (length[r] + tokens[i].length > maxLength) {
                    throw new IllegalStateException("row " + r + " cache full: " + length[r] + " + "
                            + tokens[i].length + " > " + maxLength);
                }
                for (int t : tokens[i]) {
                    if (t < 0 || t >= vocab) {
                        throw new IllegalArgumentException("token " + t + " outside [0, " + vocab + ")");
                    }
                }
            }
            float[] out = new float[rowIds.length * vocab];
            int parts = Math.min(threads, rowIds.length);
            if (parts <= 1) {
                run(rowIds, tokens, 0, rowIds.length, out, scratch[0]);
            } else {
                int[] bounds = split(tokens, parts);
                List<Future<?>> futures = new ArrayList<>(parts - 1);
                for (int p = 1; p < parts; p++) {
                    int from = bounds[p];
                    int to = bounds[p + 1];
                    Scratch part = scratch[p];
                    futures.add(POOL.submit(() -> run(rowIds, tokens, from, to, out, part)));
                }
                run(rowIds, tokens, bounds[0], bounds[1], out, scratch[0]);
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while decoding", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("decoding failed", e.getCause());
                    }
                }
            }
            for (int i = 0; i < rowIds.length; i++) {
                length[rowIds[i]] += tokens[i].length;
            }
            return out;
        }

        /** Runs listed rows {@code [from, to)} through the model and writes their last logits. */
        private void run(int[] rowIds, int[][] tokens, int from, int to, float[] out, Scratch s) {
            int n = 0;
            for (int i = from; i < to; i++) {
                n += tokens[i].length;
            }
            if (n == 0) {
                return;
            }
            s.ensure(n, to - from);
            int[] entryRow = s.entryRow;
            int[] entrySlot = s.entrySlot;
            float[] x = s.x;
            int e = 0;
            for (int i = from; i < to; i++) {
                int r = rowIds[i];
                for (int t = 0; t < tokens[i].length; t++) {
                    entryRow[e] = r;
                    entrySlot[e] = length[r] + t;
                    System.arraycopy(embed, tokens[i][t] * hidden, x, e * hidden, hidden);
                    e++;
                }
            }
            int q = heads * headDim;
            float[] h = s.h;
            float[] qkv = s.qkv;
            float[] att = s.att;
            float[] gu = s.gu;
            float[] act = s.act;
            for (int l = 0; l < layers; l++) {
                Layer lw = w[l];
                rmsNorm(x, lw.inNorm, h, n);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(lw.qkvBias, 0, qkv, i * qkvOut, qkvOut);
                }
                k.gemm(h, n, hidden, lw.qkvT, qkvOut, qkv);
                for (int i = 0; i < n; i++) {
                    rope(qkv, i * qkvOut, heads, entrySlot[i], queryScale);
                    rope(qkv, i * qkvOut + q, kvHeads, entrySlot[i], 1f);
                    store(l, entryRow[i], entrySlot[i], qkv, i * qkvOut + q);
                }
                java.util.Arrays.fill(att, 0, n * q, 0f);
                for (int i = 0; i < n; i++) {
                    attend(l, entryRow[i], entrySlot[i], qkv, i * qkvOut, att, i * q, s.scores);
                }
                k.gemm(att, n, q, lw.oT, hidden, x);
                rmsNorm(x, lw.postNorm, h, n);
                java.util.Arrays.fill(gu, 0, n * 2 * inter, 0f);
                k.gemm(h, n, hidden, lw.gateUpT, 2 * inter, gu);
                k.swiglu(gu, n, inter, act);
                k.gemm(act, n, inter, lw.downT, hidden, x);
            }
            // logits only after each row's last token, as one product for the rows of this part
            int m = to - from;
            int last = 0;
            for (int i = 0; i < m; i++) {
                last += tokens[from + i].length;
                System.arraycopy(x, (last - 1) * hidden, s.last, i * hidden, hidden);
            }
            rmsNorm(s.last, finalNorm, s.lastNorm, m);
            java.util.Arrays.fill(s.logits, 0, m * vocab, 0f);
            k.gemm(s.lastNorm, m, hidden, headT, vocab, s.logits);
            System.arraycopy(s.logits, 0, out, from * vocab, m * vocab);
        }

        /** Work arrays of one part of a step, grown on demand and reused across steps. */
        private final class Scratch {
            private int entries;
            private int rowCapacity;
            int[] entryRow;
            int[] entrySlot;
            float[] x;
            float[] h;
            float[] qkv;
            float[] att;
            float[] gu;
            float[] act;
            float[] last;
            float[] lastNorm;
            float[] logits;
            final float[] scores = new float[maxLength];

            void ensure(int n, int rowsInPart) {
                if (n > entries) {
                    entries = Math.max(n, 2 * entries);
                    entryRow = new int[entries];
                    entrySlot = new int[entries];
                    x = new float[entries * hidden];
                    h = new float[entries * hidden];
                    qkv = new float[entries * qkvOut];
                    att = new float[entries * heads * headDim];
                    gu = new float[entries * 2 * inter];
                    act = new float[entries * inter];
                }
                if (rowsInPart > rowCapacity) {
                    rowCapacity = rowsInPart;
                    last = new float[rowCapacity * hidden];
                    lastNorm = new float[rowCapacity * hidden];
                    logits = new float[rowCapacity * vocab];
                }
            }
        }

        private void store(int layer, int row, int slot, float[] qkv, int kOff) {
            int kvSize = kvHeads * headDim;
            float[] kt = keysT[layer];
            float[] vs = values[layer];
            for (int g = 0; g < kvHeads; g++) {
                int kBase = ((row * kvHeads + g) * headDim) * maxLength + slot;
                int vBase = ((row * kvHeads + g) * maxLength + slot) * headDim;
                for (int d = 0; d < headDim; d++) {
                    kt[kBase + d * maxLength] = qkv[kOff + g * headDim + d];
                }
                System.arraycopy(qkv, kOff + kvSize + g * headDim, vs, vBase, headDim);
            }
        }

        /** Causal attention of one entry over its row's slots {@code [0, slot]}. */
        private void attend(int layer, int row, int slot, float[] qkv, int qOff, float[] att, int aOff,
                float[] scores) {
            int span = slot + 1;
            float[] kt = keysT[layer];
            float[] vs = values[layer];
            for (int hd = 0; hd < heads; hd++) {
                int g = hd / groups;
                int kBase = ((row * kvHeads + g) * headDim) * maxLength;
                k.scores(qkv, qOff + hd * headDim, kt, kBase, maxLength, headDim, span, scores);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < span; j++) {
                    max = Math.max(max, scores[j]);
                }
                float inv = 1f / k.expShifted(scores, span, max);
                int vBase = (row * kvHeads + g) * maxLength * headDim;
                for (int j = 0; j < span; j++) {
                    scores[j] *= inv;
                }
                k.weightedSum(scores, span, vs, vBase, headDim, att, aOff + hd * headDim);
            }
        }
    }

    /** Rotates {@code count} heads stored from {@code off} at position {@code pos}, times {@code scale}. */
    private void rope(float[] v, int off, int count, int pos, float scale) {
        int half = headDim / 2;
        int t = pos * headDim;
        for (int hd = 0; hd < count; hd++) {
            int b = off + hd * headDim;
            for (int i = 0; i < half; i++) {
                float x1 = v[b + i];
                float x2 = v[b + i + half];
                float c1 = cos[t + i] * scale;
                float s1 = sin[t + i] * scale;
                float c2 = cos[t + i + half] * scale;
                float s2 = sin[t + i + half] * scale;
                v[b + i] = x1 * c1 - x2 * s1;
                v[b + i + half] = x2 * c2 + x1 * s2;
            }
        }
    }

    private void rmsNorm(float[] x, float[] weight, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            int o = i * hidden;
            double ss = 0;
            for (int j = 0; j < hidden; j++) {
                float v = x[o + j];
                ss += v * v;
            }
            float r = (float) Math.sqrt((float) (ss / hidden) + eps);
            for (int j = 0; j < hidden; j++) {
                out[o + j] = x[o + j] / r * weight[j];
            }
        }
    }

    /** Row boundaries splitting rows into {@code parts} groups of about equal token counts. */
    static int[] split(int[][] tokens, int parts) {
        long total = 0;
        for (int[] t : tokens) {
            total += t.length;
        }
        int[] bounds = new int[parts + 1];
        long acc = 0;
        int p = 1;
        for (int i = 0; i < tokens.length && p < parts; i++) {
            acc += tokens[i].length;
            int remainingRows = tokens.length - (i + 1);
            if (acc * parts >= total * p || remainingRows == parts - p) {
                bounds[p++] = i + 1;
            }
        }
        while (p <= parts) {
            bounds[p++] = tokens.length;
        }
        return bounds;
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "o1p-java-decoder-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
