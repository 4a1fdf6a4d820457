package org.o1pruner.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.JavaDecoder;
import org.o1pruner.model.KvCache;

/**
 * Batched autoregressive generation with a preallocated KV cache.
 *
 * <p>Prompts are left-padded into one batch (at most {@code maxBatch} rows at a time), prefilled in
 * one forward pass, then decoded one token per step for all unfinished rows. A row that finishes
 * (EOS, stop string, token budget) leaves the batch: its cache rows are dropped, so it costs no more
 * work. Sampling runs in Java on the logits copied from the device, so the same seed gives the same
 * samples on any device; each prompt gets its own random stream derived from the seed and its index
 * in the request, independent of batching. Every generated token's log-probability is recorded
 * under the unmodified distribution (temperature 1, no truncation), which is what the trainer needs
 * as π_ref.
 *
 * <p>Gradient recording is turned off on the calling thread for the duration of a call. A generator
 * is not thread-safe; it may share its model with other generators on other threads.
 */
public final class Generator {
    private static final NDIndex LAST_POSITION = new NDIndex(":, -1, :");

    private final CausalLM model;
    private final Set<Integer> eosIds;
    private final int padId;
    private final TokenDecoder decoder;
    private final int maxBatch;
    private final DecodeBackend backend;
    private final int javaThreads;
    private final boolean frozen;
    /** The Java backend's parameter snapshot, kept across calls when the model is frozen. */
    private volatile JavaDecoder snapshot;

    /**
     * @param model the model to sample from
     * @param eosTokenIds tokens that end a sample
     * @param padId token id used for left padding (masked out, any valid id)
     * @param decoder for stop strings and texts, or {@code null} (then no stop strings, empty texts)
     * @param maxBatch rows decoded together, {@code >= 1}
     */
    public Generator(CausalLM model, Set<Integer> eosTokenIds, int padId, TokenDecoder decoder, int maxBatch) {
        this.model = Objects.requireNonNull(model, "model");
        this.eosIds = Set.copyOf(eosTokenIds);
        int vocab = model.config().vocabSize();
        if (padId < 0 || padId >= vocab) {
            throw new IllegalArgumentException("padId " + padId + " outside the vocabulary [0, " + vocab + ")");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.padId = padId;
        this.decoder = decoder;
        this.maxBatch = maxBatch;
        this.backend = DecodeBackend.AUTO;
        this.javaThreads = 0;
        this.frozen = false;
    }

    private Generator(Generator g, DecodeBackend backend, int javaThreads, boolean frozen) {
        this.model = g.model;
        this.eosIds = g.eosIds;
        this.padId = g.padId;
        this.decoder = g.decoder;
        this.maxBatch = g.maxBatch;
        this.backend = Objects.requireNonNull(backend, "backend");
        this.javaThreads = javaThreads;
        this.frozen = frozen;
    }

    /**
     * The same generator with another decoding backend.
     *
     * @throws IllegalArgumentException when {@code backend} is {@link DecodeBackend#JAVA} and the
     *     model is not a float32 CPU model
     */
    public Generator withBackend(DecodeBackend backend) {
        if (backend == DecodeBackend.JAVA && !JavaDecoder.supports(model)) {
            throw new IllegalArgumentException("the Java decoding backend needs a float32 model on the CPU, not "
                    + model.dataType() + " on " + model.device());
        }
        return new Generator(this, backend, javaThreads, frozen);
    }

    /**
     * The same generator with {@code threads} threads for the Java backend (0: PyTorch's intra-op
     * thread count at the time of each call).
     */
    public Generator withJavaThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        return new Generator(this, backend, threads, frozen);
    }

    /**
     * The same generator for a model whose parameters never change while it is used (a sampler's
     * policy, an evaluated checkpoint): the Java backend snapshots the parameters once instead of
     * at every call. Wrong for a model being trained in place.
     */
    public Generator withFrozenModel() {
        return new Generator(this, backend, javaThreads, true);
    }

    /** The backend that decoding actually uses for this generator's model. */
    public DecodeBackend effectiveBackend() {
        return backend.resolve(model);
    }

    /** A generator using the model config's EOS ids, the first of them as padding. */
    public static Generator of(CausalLM model, TokenDecoder decoder, int maxBatch) {
        List<Integer> eos = model.config().eosTokenIds();
        return new Generator(model, new HashSet<>(eos), eos.isEmpty() ? 0 : eos.get(0), decoder, maxBatch);
    }

    /**
     * Generates one sample per prompt, in the order of {@code prompts}.
     *
     * @param prompts token ids, each non-empty
     * @throws IllegalArgumentException on an empty prompt, a token outside the vocabulary, a prompt
     *     plus budget longer than the model's positions, or stop strings without a decoder
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        Objects.requireNonNull(params, "params");
        if (!params.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a generator with a decoder");
        }
        int vocab = model.config().vocabSize();
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty");
            }
            for (int t : p) {
                if (t < 0 || t >= vocab) {
                    throw new IllegalArgumentException("prompt " + i + " has token " + t + " outside [0, " + vocab + ")");
                }
            }
            if (p.length + params.maxNewTokens() > model.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("prompt " + i + " (" + p.length + " tokens) plus " + params.maxNewTokens()
                        + " new tokens exceeds the model's " + model.config().maxPositionEmbeddings() + " positions");
            }
        }
        Generation[] out = new Generation[prompts.size()];
        try (GradMode.Scope off = GradMode.disabled()) {
            JavaDecoder java = effectiveBackend() == DecodeBackend.JAVA ? javaDecoder() : null;
            int threads = javaThreads > 0 ? javaThreads : GradMode.intraOpThreads();
            for (int from = 0; from < prompts.size(); from += maxBatch) {
                int to = Math.min(prompts.size(), from + maxBatch);
                int width = 0;
                for (int i = from; i < to; i++) {
                    width = Math.max(width, prompts.get(i).length);
                }
                try (Steps steps = java != null
                        ? new JavaSteps(java.session(to - from, width + params.maxNewTokens(), threads))
                        : new LibtorchSteps(width, to - from, params.maxNewTokens())) {
                    decodeChunk(prompts, from, to, params, out, steps);
                }
            }
        }
        return Arrays.asList(out);
    }

    private JavaDecoder javaDecoder() {
        if (!frozen) {
            return JavaDecoder.of(model);
        }
        JavaDecoder d = snapshot;
        if (d == null) {
            synchronized (this) {
                d = snapshot;
                if (d == null) {
                    d = JavaDecoder.of(model);
                    snapshot = d;
                }
            }
        }
        return d;
    }

    /** Per-row state while decoding. */
    private static final class Row {
        final int index;
        final int chunkRow;
        final int[] promptMask;
        final SplittableRandom rng;
        int[] tokens = new int[16];
        float[] logProbs = new float[16];
        int n;
        FinishReason finish;
        String stopText;

        Row(int index, int chunkRow, int[] promptMask, SplittableRandom rng) {
            this.index = index;
            this.chunkRow = chunkRow;
            this.promptMask = promptMask;
            this.rng = rng;
        }

        void add(int token, float logProb) {
            if (n == tokens.length) {
                tokens = Arrays.copyOf(tokens, n * 2);
                logProbs = Arrays.copyOf(logProbs, n * 2);
            }
            tokens[n] = token;
            logProbs[n] = logProb;
            n++;
        }
    }

    /** One chunk's forward passes: a prefill, then one token per active row per step. */
    private interface Steps extends AutoCloseable {
        /** Logits after each prompt, {@code [rows × vocab]} in chunk order. */
        float[] prefill(List<Row> rows, long[] paddedIds, int width);

        /**
         * Feeds one token to each row of {@code active} (the rows still decoding, in order) and returns
         * their logits in that order; {@code kept[i]} is the position of {@code active.get(i)} in the
         * previous step's list.
         */
        float[] step(List<Row> active, int[] kept, long[] tokens, int generated);

        @Override
        void close();
    }

    /** libtorch through DJL: left-padded batch, preallocated KV cache whose rows shrink as sequences end. */
    private final class LibtorchSteps implements Steps {
        private final NDManager manager;
        private final KvCache cache;
        private final int width;
        private int rows;

        LibtorchSteps(int width, int rows, int maxNewTokens) {
            this.width = width;
            this.rows = rows;
            this.manager = NDManager.newBaseManager(model.device());
            this.cache = model.newCache(rows, width + maxNewTokens, manager);
        }

        @Override
        public float[] prefill(List<Row> all, long[] ids, int w) {
            try (NDManager step = manager.newSubManager()) {
                NDArray input = step.create(ids, new Shape(all.size(), width));
                NDArray mask = step.create(maskMatrix(all, width, 0), new Shape(all.size(), width));
                NDArray hidden = model.forwardHidden(input, mask, cache).get(LAST_POSITION);
                return toFloats(model.lmHead(hidden));
            }
        }

        @Override
        public float[] step(List<Row> active, int[] kept, long[] tokens, int generated) {
            if (active.size() < rows) {
                cache.keepRows(Arrays.copyOf(kept, active.size()));
                rows = active.size();
            }
            int b = active.size();
            int past = width + generated;
            try (NDManager step = manager.newSubManager()) {
                NDArray input = step.create(Arrays.copyOf(tokens, b), new Shape(b, 1));
                NDArray mask = step.create(maskMatrix(active, width, generated + 1), new Shape(b, past + 1));
                NDArray hidden = model.forwardHidden(input, mask, cache).get(LAST_POSITION);
                return toFloats(model.lmHead(hidden));
            }
        }

        @Override
        public void close() {
            try {
                cache.close();
            } finally {
                manager.close();
            }
        }
    }

    /** The Java decoder: no padding, each row keeps its own cache row and length. */
    private static final class JavaSteps implements Steps {
        private final JavaDecoder.Session session;

        JavaSteps(JavaDecoder.Session session) {
            this.session = session;
        }

        @Override
        public float[] prefill(List<Row> all, long[] ids, int width) {
            int[] rowIds = new int[all.size()];
            int[][] tokens = new int[all.size()][];
            for (int r = 0; r < all.size(); r++) {
                int[] mask = all.get(r).promptMask;
                int pad = 0;
                while (mask[pad] == 0) {
                    pad++;
                }
                rowIds[r] = all.get(r).chunkRow;
                tokens[r] = new int[width - pad];
                for (int t = pad; t < width; t++) {
                    tokens[r][t - pad] = (int) ids[r * width + t];
                }
            }
            return session.step(rowIds, tokens);
        }

        @Override
        public float[] step(List<Row> active, int[] kept, long[] next, int generated) {
            int[] rowIds = new int[active.size()];
            int[][] tokens = new int[active.size()][];
            for (int i = 0; i < rowIds.length; i++) {
                rowIds[i] = active.get(i).chunkRow;
                tokens[i] = new int[] {(int) next[i]};
            }
            return session.step(rowIds, tokens);
        }

        @Override
        public void close() {
            // plain Java arrays: nothing native to release
        }
    }

    private void decodeChunk(List<int[]> prompts, int from, int to, SamplingParams params, Generation[] out, Steps steps) {
        int batch = to - from;
        int width = 0;
        for (int i = from; i < to; i++) {
            width = Math.max(width, prompts.get(i).length);
        }
        long[] ids = new long[batch * width];
        List<Row> rows = new ArrayList<>(batch);
        for (int r = 0; r < batch; r++) {
            int[] p = prompts.get(from + r);
            int pad = width - p.length;
            int[] mask = new int[width];
            for (int t = 0; t < width; t++) {
                ids[r * width + t] = t < pad ? padId : p[t - pad];
                mask[t] = t < pad ? 0 : 1;
            }
            rows.add(new Row(from + r, r, mask, new SplittableRandom(rowSeed(params.seed(), from + r))));
        }
        int vocab = model.config().vocabSize();
        double[] scratch = new double[vocab];
        int maxStop = params.stopStrings().stream().mapToInt(String::length).max().orElse(0);
        float[] logits = steps.prefill(rows, ids, width);
        for (int generated = 0; ; generated++) {
            List<Row> active = new ArrayList<>(rows.size());
            int[] keep = new int[rows.size()];
            long[] next = new long[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                int off = r * vocab;
                int token = TokenSampler.sample(logits, off, vocab, params, row.rng, scratch);
                row.add(token, (float) TokenSampler.logProb(logits, off, vocab, token));
                if (eosIds.contains(token)) {
                    row.finish = FinishReason.EOS;
                } else if (maxStop > 0 && (row.stopText = stopHit(row, params.stopStrings(), maxStop)) != null) {
                    row.finish = FinishReason.STOP_STRING;
                } else if (row.n >= params.maxNewTokens()) {
                    row.finish = FinishReason.LENGTH;
                }
                if (row.finish != null) {
                    out[row.index] = finish(row);
                } else {
                    keep[active.size()] = r;
                    next[active.size()] = token;
                    active.add(row);
                }
            }
            if (active.isEmpty()) {
                return;
            }
            rows = active;
            logits = steps.step(rows, keep, next, generated);
        }
    }

    private static long rowSeed(long seed, int index) {
        // SplitMix64 finaliser of (seed, index): independent, well-mixed streams per prompt
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long[] maskMatrix(List<Row> rows, int width, int generated) {
        int cols = width + generated;
        long[] m = new long[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            int[] pm = rows.get(r).promptMask;
            int base = r * cols;
            for (int t = 0; t < width; t++) {
                m[base + t] = pm[t];
            }
            Arrays.fill(m, base + width, base + cols, 1L);
        }
        return m;
    }

    private static float[] toFloats(NDArray logits) {
        NDArray f = logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
        return f.toFloatArray();
    }

    /** The stop string that the decoded tail now contains, or null. */
    private String stopHit(Row row, List<String> stops, int maxStop) {
        int window = Math.min(row.n, maxStop + 8);
        String tail = decoder.decode(Arrays.copyOfRange(row.tokens, row.n - window, row.n));
        for (String s : stops) {
            if (tail.contains(s)) {
                return s;
            }
        }
        return null;
    }

    private Generation finish(Row row) {
        int[] tokens = Arrays.copyOf(row.tokens, row.n);
        float[] lps = Arrays.copyOf(row.logProbs, row.n);
        String text = "";
        if (decoder != null) {
            int textTokens = row.finish == FinishReason.EOS ? row.n - 1 : row.n;
            text = decoder.decode(Arrays.copyOf(tokens, textTokens));
            if (row.finish == FinishReason.STOP_STRING) {
                int at = text.indexOf(row.stopText);
                if (at >= 0) {
                    text = text.substring(0, at + row.stopText.length());
                }
            }
        }
        return new Generation(tokens, lps, row.finish, text);
    }
}
