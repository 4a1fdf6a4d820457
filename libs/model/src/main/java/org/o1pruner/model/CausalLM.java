package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The Qwen2 / Llama decoder-only language model, written as plain code over named parameter
 * arrays: token embedding, RMSNorm, rotary position embeddings, grouped-query attention (with
 * the q/k/v bias of Qwen2), SwiGLU MLP and a tied or untied output head.
 *
 * <p>One implementation serves the sampler, the trainer and the evaluator, so the log-probs the
 * sampler records are computed by the same arithmetic the trainer differentiates. Parameter names
 * are those of Hugging Face checkpoints. Positions come from the attention mask, so left-padded,
 * right-padded and cached batches all see the positions an unpadded sequence would.
 *
 * <p>Thread safety: forward passes may run concurrently on different threads as long as each
 * uses its own cache and scoped manager; parameters are updated in place by training code.
 */
public final class CausalLM implements AutoCloseable {

    private static final float MASK_FP32 = -1e9f;
    private static final float MASK_FP16 = -3e4f;

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final DataType dtype;
    private final Layer[] layers;
    private final NDArray embed;
    private final NDArray finalNorm;
    private final NDArray lmHead;
    private final NDArray cos;
    private final NDArray sin;
    private final float queryScale;
    private final NDArray rotate;
    private final NDArray identity;
    private final float eps;
    private final RopeTables ropeTables;
    private java.nio.file.Path sourceDir;

    /** One decoder layer's parameters (the biases are null when the architecture has none). */
    record Layer(NDArray inNorm, NDArray q, NDArray qb, NDArray k, NDArray kb, NDArray v,
            NDArray vb, NDArray o, NDArray postNorm, NDArray gate, NDArray up, NDArray down) {

        /** Every parameter of the layer, nulls included. */
        java.util.List<NDArray> all() {
            return java.util.Arrays.asList(inNorm, q, qb, k, kb, v, vb, o, postNorm, gate, up, down);
        }
    }

    /** The parameters by role, for the fused training pass. */
    record Weights(NDArray embed, NDArray finalNorm, Layer[] layers) {}

    /**
     * Wraps already-created parameters. Takes ownership of {@code manager}.
     *
     * @throws IllegalArgumentException when a parameter is missing or has the wrong shape
     */
    CausalLM(ModelConfig config, NDManager manager, Map<String, NDArray> params) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(new TreeMap<>(params));
        Map<String, Shape> expected = expectedShapes(config);
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            NDArray a = params.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!a.getShape().equals(e.getValue())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape "
                        + a.getShape() + ", expected " + e.getValue());
            }
        }
        for (String name : params.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("unexpected parameter " + name);
            }
        }
        this.dtype = params.get("model.embed_tokens.weight").getDataType();
        if (!dtype.isFloating() || dtype == DataType.BFLOAT16) {
            throw new IllegalArgumentException("parameters must be float32, float16 or float64, got "
                    + dtype + " (DJL's PyTorch engine has no bfloat16 arrays: load bfloat16"
                    + " checkpoints as float32)");
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            if (e.getValue().getDataType() != dtype) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is "
                        + e.getValue().getDataType() + ", expected " + dtype);
            }
        }
        this.eps = (float) config.rmsNormEps();
        layers = new Layer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            layers[i] = new Layer(
                    params.get(p + "input_layernorm.weight"),
                    params.get(p + "self_attn.q_proj.weight"), params.get(p + "self_attn.q_proj.bias"),
                    params.get(p + "self_attn.k_proj.weight"), params.get(p + "self_attn.k_proj.bias"),
                    params.get(p + "self_attn.v_proj.weight"), params.get(p + "self_attn.v_proj.bias"),
                    params.get(p + "self_attn.o_proj.weight"),
                    params.get(p + "post_attention_layernorm.weight"),
                    params.get(p + "mlp.gate_proj.weight"), params.get(p + "mlp.up_proj.weight"),
                    params.get(p + "mlp.down_proj.weight"));
        }
        embed = params.get("model.embed_tokens.weight");
        finalNorm = params.get("model.norm.weight");
        lmHead = config.tieWordEmbeddings() ? embed : params.get("lm_head.weight");

        int d = config.headDim();
        int half = d / 2;
        int maxPos = config.maxPositionEmbeddings();
        RopeTables tables = RopeTables.of(config);
        ropeTables = tables;
        float[] c = tables.cos;
        float[] s = tables.sin;
        queryScale = (float) (1.0 / Math.sqrt(d));
        Shape table = new Shape(maxPos, d);
        cos = manager.create(c, table).toType(dtype, false);
        sin = manager.create(s, table).toType(dtype, false);
        // rotate_half(x) = cat(-x[half:], x[:half]) as an exact signed permutation: x @ R
        float[] r = new float[d * d];
        for (int i = 0; i < half; i++) {
            r[(i + half) * d + i] = -1f;
            r[i * d + i + half] = 1f;
        }
        rotate = manager.create(r, new Shape(d, d)).toType(dtype, false);
        float[] eye = new float[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1f;
        }
        identity = manager.create(eye, new Shape(d, d)).toType(dtype, false);
    }

    /** Expected parameter names and shapes for a configuration, name-ordered. */
    public static Map<String, Shape> expectedShapes(ModelConfig c) {
        Map<String, Shape> m = new TreeMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        m.put("model.embed_tokens.weight", new Shape(c.vocabSize(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            m.put(p + "input_layernorm.weight", new Shape(h));
            m.put(p + "post_attention_layernorm.weight", new Shape(h));
            m.put(p + "self_attn.q_proj.weight", new Shape(q, h));
            m.put(p + "self_attn.k_proj.weight", new Shape(kv, h));
            m.put(p + "self_attn.v_proj.weight", new Shape(kv, h));
            m.put(p + "self_attn.o_proj.weight", new Shape(h, q));
            if (c.attentionBias()) {
                m.put(p + "self_attn.q_proj.bias", new Shape(q));
                m.put(p + "self_attn.k_proj.bias", new Shape(kv));
                m.put(p + "self_attn.v_proj.bias", new Shape(kv));
            }
            m.put(p + "mlp.gate_proj.weight", new Shape(c.intermediateSize(), h));
            m.put(p + "mlp.up_proj.weight", new Shape(c.intermediateSize(), h));
            m.put(p + "mlp.down_proj.weight", new Shape(h, c.intermediateSize()));
        }
        m.put("model.norm.weight", new Shape(h));
        if (!c.tieWordEmbeddings()) {
            m.put("lm_head.weight", new Shape(c.vocabSize(), h));
        }
        return m;
    }

    /**
     * A freshly initialised model (the Hugging Face scheme: normal(0, 0.02) matrices, unit norm
     * weights, zero biases), deterministic in {@code seed} and independent of PyTorch's RNG.
     */
    public static CausalLM random(ModelConfig config, long seed, Device device) {
        Random rng = new Random(seed);
        NDManager m = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> params = new TreeMap<>();
            for (Map.Entry<String, Shape> e : expectedShapes(config).entrySet()) {
                String name = e.getKey();
                Shape shape = e.getValue();
                float[] data = new float[Math.toIntExact(shape.size())];
                if (name.endsWith("norm.weight")) {
                    java.util.Arrays.fill(data, 1f);
                } else if (!name.endsWith(".bias")) {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (rng.nextGaussian() * 0.02);
                    }
                }
                NDArray a = m.create(data, shape);
                a.setName(name);
                params.put(name, a);
            }
            return new CausalLM(config.toBuilder().optDtype("float32").build(), m, params);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Loads a Hugging Face model directory ({@code config.json} and {@code model.safetensors} or
     * a sharded index), converting float16/bfloat16 weights to float32. When the directory has an
     * {@code o1p-manifest.json}, every file is verified first.
     *
     * @throws CheckpointException naming the missing or mismatched file
     */
    public static CausalLM load(java.nio.file.Path hfDir, Device device) {
        return load(hfDir, device, DataType.FLOAT32);
    }

    /**
     * Loads a Hugging Face model directory, converting floating-point weights to
     * {@code floatType}, or keeping the stored type when it is {@code null}. bfloat16 weights
     * always become float32 (exactly): DJL's PyTorch engine has no bfloat16 arrays.
     */
    public static CausalLM load(java.nio.file.Path hfDir, Device device, DataType floatType) {
        return Checkpoints.load(hfDir, device, floatType);
    }

    /**
     * Writes this model as a Hugging Face directory, atomically: everything goes to a temporary
     * sibling directory (each file forced to disk), the manifest last, then one rename; an
     * existing directory is replaced. Weights are stored in the model's current type; tokenizer
     * files are copied from the directory the model was loaded from.
     *
     * @param extraFiles more files (name to UTF-8 content), e.g. a tokenizer or training state
     */
    public void save(java.nio.file.Path dir, Map<String, String> extraFiles) {
        save(dir, extraFiles, Checkpoints.DEFAULT_SHARD_BYTES);
    }

    /** As {@link #save(java.nio.file.Path, Map)} with a shard size limit in bytes. */
    public void save(java.nio.file.Path dir, Map<String, String> extraFiles, long shardBytes) {
        save(dir, extraFiles, shardBytes, null);
    }

    /**
     * As {@link #save(java.nio.file.Path, Map)} with a shard size limit in bytes and the type to
     * store weights as ({@code null}: the model's type; {@link DataType#BFLOAT16} is what most
     * published Qwen2 checkpoints use).
     */
    public void save(java.nio.file.Path dir, Map<String, String> extraFiles, long shardBytes,
            DataType storeAs) {
        if (shardBytes <= 0) {
            throw new IllegalArgumentException("shardBytes must be positive");
        }
        if (storeAs != null && dtypeName(storeAs) == null) {
            throw new IllegalArgumentException("cannot store weights as " + storeAs
                    + " (float32, bfloat16, float16)");
        }
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Checkpoints.save(this, dir, extraFiles, shardBytes, storeAs);
        }
    }

    /**
     * Verifies a checkpoint directory against its {@code o1p-manifest.json}.
     *
     * @throws CheckpointException naming the missing or mismatched file
     */
    public static Manifest verify(java.nio.file.Path dir) {
        return Manifest.verify(dir);
    }

    /** The model's configuration. */
    public ModelConfig config() {
        return config;
    }

    /** Parameters by Hugging Face name, name-ordered; arrays are updated in place by training. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The data type the parameters and activations use. */
    public DataType dataType() {
        return dtype;
    }

    /** The device the parameters live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** A new empty KV cache for {@code batch} rows and up to {@code maxLength} positions. */
    public KvCache newCache(int batch, int maxLength, NDManager manager) {
        return new KvCache(config, batch, maxLength, manager, dtype);
    }

    /**
     * Logits for the new tokens.
     *
     * @param inputIds {@code [B, T]} int64 token ids (the new tokens only when a cache is given)
     * @param attentionMask {@code [B, past + T]} 1 for a token, 0 for padding, covering cached and
     *     new positions
     * @param cache the KV cache to read and extend, or {@code null}
     * @return {@code [B, T, V]} float32 logits (float64 for a float64 model), in the manager of
     *     {@code inputIds}
     */
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache) {
        NDManager out = inputIds.getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray hidden = hidden(inputIds, attentionMask, cache, scope);
            NDArray logits = lmHead(hidden);
            if (logits.getDataType() == DataType.FLOAT16) {
                logits = logits.toType(DataType.FLOAT32, false);
            }
            logits.attach(out);
            return logits;
        }
    }

    /**
     * The final-norm hidden states {@code [B, T, hidden]} for the new tokens, for callers that
     * need logits only at some positions (see {@link #lmHead(NDArray)}).
     *
     * @see #forward(NDArray, NDArray, KvCache)
     */
    public NDArray forwardHidden(NDArray inputIds, NDArray attentionMask, KvCache cache) {
        NDManager out = inputIds.getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray hidden = hidden(inputIds, attentionMask, cache, scope);
            hidden.attach(out);
            return hidden;
        }
    }

    /** Applies the output head: {@code [..., hidden]} to {@code [..., V]} logits (model dtype). */
    public NDArray lmHead(NDArray hidden) {
        return Linear.linear(hidden, lmHead).singletonOrThrow();
    }

    Weights weights() {
        return new Weights(embed, finalNorm, layers);
    }

    RopeTables ropeTables() {
        return ropeTables;
    }

    /** {@code 1/sqrt(head_dim)}, folded into the query rotation. */
    float queryScale() {
        return queryScale;
    }

    private NDArray hidden(NDArray ids, NDArray attentionMask, KvCache cache, NDManager scope) {
        Shape s = ids.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("inputIds must be [B, T], got " + s);
        }
        int b = Math.toIntExact(s.get(0));
        int t = Math.toIntExact(s.get(1));
        int past = cache == null ? 0 : cache.length();
        int total = past + t;
        Shape ms = attentionMask.getShape();
        if (ms.dimension() != 2 || ms.get(0) != b || ms.get(1) != total) {
            throw new IllegalArgumentException("attentionMask must be [" + b + ", " + total
                    + "] (cached + new positions), got " + ms);
        }
        if (cache != null) {
            cache.checkFits(b, t);
        }
        if (total > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + total
                    + " exceeds max_position_embeddings " + config.maxPositionEmbeddings());
        }
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, true);
            ids.attach(scope);
        }
        if (FusedTraining.applies(this, cache)) {
            long[] mask;
            try (NDArray m = attentionMask.toType(DataType.INT64, true)) {
                mask = m.toLongArray();
            }
            return FusedTraining.forward(this, ids, mask, b, t, scope);
        }
        // positions = cumsum(mask) - 1 (pads clamped to 0); rope tables gathered once per forward
        NDArray mask64 = attentionMask.toType(DataType.INT64, true); // a copy owned by scope
        mask64.attach(scope);
        NDArray positions = mask64.cumSum(1).sub(1).maximum(0);
        if (past > 0) {
            positions = positions.get(new NDIndex(":, {}:", past));
        }
        Rope ropeK = rope(positions, 1f, b, t);
        Rope ropeQ = rope(positions, queryScale, b, t); // 1/sqrt(D) folded into the rotation
        NDArray bias = additiveMask(mask64, b, t, past, scope);

        NDArray x = gather(ids, embed);
        x.attach(scope);
        NDIndex write = cache == null ? null : new NDIndex(":, :, {}:{}, :", past, total);
        NDIndex read = cache == null ? null : new NDIndex(":, :, :{}, :", total);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int groups = heads / kvHeads;
        int d = config.headDim();
        for (int l = 0; l < layers.length; l++) {
            Layer w = layers[l];
            NDArray h = rmsNorm(x, w.inNorm);
            NDArray q = Linear.linear(h, w.q, w.qb).singletonOrThrow().reshape(b, t, heads, d);
            NDArray k = Linear.linear(h, w.k, w.kb).singletonOrThrow().reshape(b, t, kvHeads, d);
            NDArray v = Linear.linear(h, w.v, w.vb).singletonOrThrow().reshape(b, t, kvHeads, d);
            q = t == 1 // one position: [B, 1, H, D] already has the memory order of [B, Hkv, G, D]
                    ? ropeQ.apply(q).reshape(b, kvHeads, groups, d)
                    : ropeQ.apply(q).transpose(0, 2, 1, 3).reshape(b, kvHeads, groups * t, d);
            k = ropeK.apply(k).transpose(0, 2, 1, 3);
            v = v.transpose(0, 2, 1, 3);
            if (cache != null) {
                cache.write(l, write, k, v);
                k = cache.keys(l).get(read);
                v = cache.values(l).get(read);
            }
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1);
            NDArray att = t == 1
                    ? scores.matMul(v).reshape(b, 1, heads * d)
                    : scores.matMul(v).reshape(b, heads, t, d).transpose(0, 2, 1, 3)
                            .reshape(b, t, heads * d);
            x = x.add(Linear.linear(att, w.o).singletonOrThrow());
            h = rmsNorm(x, w.postNorm);
            NDArray gate = Linear.linear(h, w.gate).singletonOrThrow();
            NDArray up = Linear.linear(h, w.up).singletonOrThrow();
            NDArray act = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
            x = x.add(Linear.linear(act, w.down).singletonOrThrow());
        }
        if (cache != null) {
            cache.advance(t);
        }
        return rmsNorm(x, finalNorm);
    }

    private static NDArray gather(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** Largest {@code B*T*D*D} for which rotary embedding uses one matrix per position. */
    static long ropeMatrixLimit = 1L << 20;

    /**
     * Rotary embedding for one forward pass. For few positions (decoding) it is one batched
     * matmul with a per-position matrix {@code diag(cos) + R diag(sin)}, built once per pass; for
     * many positions (prefill, training) it is {@code x*cos + (x R)*sin}, which needs no
     * {@code D x D} matrix per position. Both compute the same rotation.
     */
    private final class Rope {
        private final NDArray c;
        private final NDArray s;
        private final NDArray matrix;

        Rope(NDArray c, NDArray s, NDArray matrix) {
            this.c = c;
            this.s = s;
            this.matrix = matrix;
        }

        /** Rotates {@code x} of shape {@code [B, T, heads, D]}. */
        NDArray apply(NDArray x) {
            if (matrix != null) {
                return x.matMul(matrix);
            }
            return x.mul(c).add(x.matMul(rotate).mul(s));
        }
    }

    private Rope rope(NDArray positions, float scale, int b, int t) {
        long d = config.headDim();
        NDArray c = gather(positions, cos);
        NDArray s = gather(positions, sin);
        if (scale != 1f) {
            c = c.mul(scale);
            s = s.mul(scale);
        }
        if ((long) b * t * d * d <= ropeMatrixLimit) {
            // M[b,t,j,i] = I[j,i] cos[b,t,i] + R[j,i] sin[b,t,i], so (x M)_i = x_i cos_i + rot(x)_i sin_i
            NDArray m = c.expandDims(2).mul(identity).add(s.expandDims(2).mul(rotate));
            return new Rope(null, null, m);
        }
        return new Rope(c.expandDims(2), s.expandDims(2), null);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(eps).sqrt()).mul(weight);
    }

    /**
     * Additive attention bias {@code [B, 1, groups*T, S]}: 0 where query t may see key s (a real
     * token at or before it), a large negative number elsewhere. Rows are tiled per query group
     * because queries of a KV group are stacked along the time axis.
     */
    private NDArray additiveMask(NDArray mask64, int b, int t, int past, NDManager scope) {
        int total = past + t;
        NDArray allowed = mask64.toType(dtype, false).reshape(b, 1, 1, total);
        if (t > 1) {
            float[] causal = new float[t * total];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j <= past + i; j++) {
                    causal[i * total + j] = 1f;
                }
            }
            NDArray c = scope.create(causal, new Shape(1, 1, t, total)).toType(dtype, false);
            allowed = allowed.mul(c);
        }
        float neg = dtype == DataType.FLOAT16 ? MASK_FP16 : MASK_FP32;
        NDArray bias = allowed.sub(1).mul(-neg);
        int groups = config.numHeads() / config.numKvHeads();
        if (groups > 1) {
            bias = bias.tile(new long[] {1, 1, groups, 1});
        }
        return bias;
    }

    /** The directory this model was loaded from, if any (tokenizer files are copied from it). */
    public java.util.Optional<java.nio.file.Path> sourceDirectory() {
        return java.util.Optional.ofNullable(sourceDir);
    }

    void setSourceDirectory(java.nio.file.Path dir) {
        this.sourceDir = dir;
    }

    /**
     * A frozen copy of this model on {@code device} (for example the PPO reference policy):
     * new arrays, no gradients attached.
     */
    public CausalLM copy(Device device) {
        return copy(device, dtype);
    }

    /**
     * A frozen copy on {@code device} with parameters converted to {@code type} (for example
     * bfloat16 for inference, or float64 for numerical checks).
     */
    public CausalLM copy(Device device, DataType type) {
        if (type == DataType.BFLOAT16 || !type.isFloating()) {
            throw new IllegalArgumentException("cannot run the model in " + type
                    + " (float32, float16 or float64)");
        }
        NDManager m = NDManager.newBaseManager(device);
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Map<String, NDArray> params = new TreeMap<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                // on the same device DJL's toDevice(device, true) hands back a tensor that shares
                // the original's storage (libtorch's to() aliases when nothing changes), which
                // would let a "frozen" copy train along with the original: clone explicitly
                NDArray c = e.getValue().getDevice().equals(device)
                        ? e.getValue().duplicate()
                        : e.getValue().toDevice(device, true);
                if (c.getDataType() != type) {
                    NDArray converted = c.toType(type, false);
                    c.close();
                    c = converted;
                }
                c.attach(m);
                c.setName(e.getKey());
                params.put(e.getKey(), c);
            }
            ModelConfig cfg = config;
            String name = dtypeName(type);
            if (name != null) {
                cfg = config.toBuilder().optDtype(name).build();
            }
            CausalLM copy = new CausalLM(cfg, m, params);
            copy.sourceDir = sourceDir;
            return copy;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The Hugging Face {@code torch_dtype} name of a DJL type, or null when it has none. */
    static String dtypeName(DataType type) {
        if (type == DataType.FLOAT32) {
            return "float32";
        } else if (type == DataType.BFLOAT16) {
            return "bfloat16";
        } else if (type == DataType.FLOAT16) {
            return "float16";
        }
        return null;
    }

    @Override
    public void close() {
        manager.close();
    }
}
