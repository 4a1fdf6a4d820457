package org.o1pruner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape and hyper-parameters of a Qwen2 / Llama decoder, read from and written to a Hugging
 * Face {@code config.json}.
 *
 * <p>One immutable value describes the model everywhere (engine, checkpoints, metrics), so a
 * checkpoint written by the trainer declares exactly the architecture that vLLM or transformers
 * will instantiate. Keys this engine does not interpret are kept and written back unchanged.
 */
public final class ModelConfig {

    /** Hugging Face architecture name of Qwen2-family models (Marco-o1, QwQ, R1 distills). */
    public static final String QWEN2 = "Qwen2ForCausalLM";
    /** Hugging Face architecture name of Llama-family models. */
    public static final String LLAMA = "LlamaForCausalLM";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final int vocabSize;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int numLayers;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final double ropeTheta;
    private final double rmsNormEps;
    private final boolean tieWordEmbeddings;
    private final int maxPositionEmbeddings;
    private final Integer bosTokenId;
    private final List<Integer> eosTokenIds;
    private final boolean attentionBias;
    private final String architecture;
    private final String dtype;
    private final ObjectNode extra;

    private ModelConfig(Builder b) {
        vocabSize = b.vocabSize;
        hiddenSize = b.hiddenSize;
        intermediateSize = b.intermediateSize;
        numLayers = b.numLayers;
        numHeads = b.numHeads;
        numKvHeads = b.numKvHeads == null ? b.numHeads : b.numKvHeads;
        headDim = b.headDim == null ? (b.numHeads == 0 ? 0 : b.hiddenSize / b.numHeads) : b.headDim;
        ropeTheta = b.ropeTheta;
        rmsNormEps = b.rmsNormEps;
        tieWordEmbeddings = b.tieWordEmbeddings;
        maxPositionEmbeddings = b.maxPositionEmbeddings;
        bosTokenId = b.bosTokenId;
        eosTokenIds = List.copyOf(b.eosTokenIds);
        architecture = b.architecture;
        attentionBias = b.attentionBias == null ? QWEN2.equals(b.architecture) : b.attentionBias;
        dtype = b.dtype;
        extra = b.extra == null ? JSON.createObjectNode() : b.extra.deepCopy();
    }

    /** Starts an empty builder (Qwen2, float32, rope theta 10000, eps 1e-6 unless set). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vocabSize = vocabSize;
        b.hiddenSize = hiddenSize;
        b.intermediateSize = intermediateSize;
        b.numLayers = numLayers;
        b.numHeads = numHeads;
        b.numKvHeads = numKvHeads;
        b.headDim = headDim;
        b.ropeTheta = ropeTheta;
        b.rmsNormEps = rmsNormEps;
        b.tieWordEmbeddings = tieWordEmbeddings;
        b.maxPositionEmbeddings = maxPositionEmbeddings;
        b.bosTokenId = bosTokenId;
        b.eosTokenIds = new ArrayList<>(eosTokenIds);
        b.attentionBias = attentionBias;
        b.architecture = architecture;
        b.dtype = dtype;
        b.extra = extra.deepCopy();
        return b;
    }

    /**
     * A tiny Qwen2 configuration for tests: grouped-query attention (4 query heads over 2 KV
     * heads), QKV bias, untied head.
     *
     * @param vocabSize vocabulary size
     * @param hiddenSize model width (a multiple of 4)
     * @param numLayers decoder layers
     */
    public static ModelConfig tiny(int vocabSize, int hiddenSize, int numLayers) {
        return builder()
                .setVocabSize(vocabSize)
                .setHiddenSize(hiddenSize)
                .setIntermediateSize(hiddenSize * 2 + 8)
                .setNumLayers(numLayers)
                .setNumHeads(4)
                .optNumKvHeads(2)
                .optMaxPositionEmbeddings(256)
                .optEosTokenIds(List.of(vocabSize - 1))
                .build();
    }

    /** The smallest useful Qwen2 configuration: vocabulary 64, width 32, 2 layers. */
    public static ModelConfig tiny() {
        return tiny(64, 32, 2);
    }

    /**
     * Reads a Hugging Face {@code config.json} (Qwen2 or Llama keys).
     *
     * @throws IllegalArgumentException when a required key is missing or a feature is unsupported
     * @throws UncheckedIOException when the file cannot be read
     */
    public static ModelConfig read(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + configJson, e);
        }
        if (!(root instanceof ObjectNode obj)) {
            throw new IllegalArgumentException(configJson + ": not a JSON object");
        }
        try {
            return fromJson(obj);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON object of a Hugging Face {@code config.json}. */
    public static ModelConfig fromJson(ObjectNode obj) {
        Builder b = builder();
        String arch = null;
        JsonNode archs = obj.get("architectures");
        if (archs != null && archs.isArray() && archs.size() > 0) {
            arch = archs.get(0).asText();
        } else if (obj.hasNonNull("model_type")) {
            arch = switch (obj.get("model_type").asText()) {
                case "qwen2" -> QWEN2;
                case "llama" -> LLAMA;
                default -> obj.get("model_type").asText();
            };
        }
        if (!QWEN2.equals(arch) && !LLAMA.equals(arch)) {
            throw new IllegalArgumentException("unsupported architecture " + arch
                    + " (supported: " + QWEN2 + ", " + LLAMA + ")");
        }
        b.setArchitecture(arch);
        b.setVocabSize(requiredInt(obj, "vocab_size"));
        b.setHiddenSize(requiredInt(obj, "hidden_size"));
        b.setIntermediateSize(requiredInt(obj, "intermediate_size"));
        b.setNumLayers(requiredInt(obj, "num_hidden_layers"));
        b.setNumHeads(requiredInt(obj, "num_attention_heads"));
        if (obj.hasNonNull("num_key_value_heads")) {
            b.optNumKvHeads(obj.get("num_key_value_heads").asInt());
        }
        if (obj.hasNonNull("head_dim")) {
            b.optHeadDim(obj.get("head_dim").asInt());
        }
        if (obj.hasNonNull("rope_theta")) {
            b.optRopeTheta(obj.get("rope_theta").asDouble());
        }
        if (obj.hasNonNull("rms_norm_eps")) {
            b.optRmsNormEps(obj.get("rms_norm_eps").asDouble());
        }
        if (obj.hasNonNull("tie_word_embeddings")) {
            b.optTieWordEmbeddings(obj.get("tie_word_embeddings").asBoolean());
        } else {
            b.optTieWordEmbeddings(false); // the transformers default
        }
        if (obj.hasNonNull("max_position_embeddings")) {
            b.optMaxPositionEmbeddings(obj.get("max_position_embeddings").asInt());
        }
        if (obj.hasNonNull("bos_token_id")) {
            b.optBosTokenId(obj.get("bos_token_id").asInt());
        }
        JsonNode eos = obj.get("eos_token_id");
        if (eos != null && eos.isArray()) {
            List<Integer> ids = new ArrayList<>();
            eos.forEach(n -> ids.add(n.asInt()));
            b.optEosTokenIds(ids);
        } else if (eos != null && !eos.isNull()) {
            b.optEosTokenIds(List.of(eos.asInt()));
        }
        if (obj.hasNonNull("attention_bias")) {
            b.optAttentionBias(obj.get("attention_bias").asBoolean());
        }
        if (obj.hasNonNull("torch_dtype")) {
            b.optDtype(obj.get("torch_dtype").asText());
        } else if (obj.hasNonNull("dtype")) {
            b.optDtype(obj.get("dtype").asText());
        }
        JsonNode act = obj.get("hidden_act");
        if (act != null && !act.isNull() && !"silu".equals(act.asText())) {
            throw new IllegalArgumentException("unsupported hidden_act " + act.asText() + " (only silu)");
        }
        JsonNode scaling = obj.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            String type = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
            if (!"default".equals(type)) {
                throw new IllegalArgumentException("unsupported rope_scaling type " + type);
            }
        }
        if (obj.path("use_sliding_window").asBoolean(false)) {
            throw new IllegalArgumentException("sliding-window attention is not supported");
        }
        b.extra = obj.deepCopy();
        return b.build();
    }

    /** This configuration as a Hugging Face {@code config.json} object (unknown keys preserved). */
    public ObjectNode toJson() {
        ObjectNode o = extra.deepCopy();
        ArrayNode archs = o.putArray("architectures");
        archs.add(architecture);
        o.put("model_type", QWEN2.equals(architecture) ? "qwen2" : "llama");
        o.put("vocab_size", vocabSize);
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numLayers);
        o.put("num_attention_heads", numHeads);
        o.put("num_key_value_heads", numKvHeads);
        o.put("head_dim", headDim);
        o.put("hidden_act", "silu");
        o.put("rope_theta", ropeTheta);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        if (bosTokenId != null) {
            o.put("bos_token_id", bosTokenId);
        } else {
            o.remove("bos_token_id");
        }
        if (eosTokenIds.size() == 1) {
            o.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            ArrayNode a = o.putArray("eos_token_id");
            eosTokenIds.forEach(a::add);
        } else {
            o.remove("eos_token_id");
        }
        if (LLAMA.equals(architecture)) {
            o.put("attention_bias", attentionBias);
        }
        o.put("torch_dtype", dtype);
        if (!o.has("use_cache")) {
            o.put("use_cache", true);
        }
        return o;
    }

    /** Writes {@code config.json} content to {@code path}. */
    public void write(Path path) {
        try {
            Files.write(path, JSON.writeValueAsBytes(toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model config " + path, e);
        }
    }

    private static int requiredInt(ObjectNode obj, String key) {
        JsonNode n = obj.get(key);
        if (n == null || n.isNull() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("missing or non-integer key " + key);
        }
        return n.asInt();
    }

    public int vocabSize() { return vocabSize; }
    public int hiddenSize() { return hiddenSize; }
    public int intermediateSize() { return intermediateSize; }
    public int numLayers() { return numLayers; }
    public int numHeads() { return numHeads; }
    public int numKvHeads() { return numKvHeads; }
    public int headDim() { return headDim; }
    public double ropeTheta() { return ropeTheta; }
    public double rmsNormEps() { return rmsNormEps; }
    public boolean tieWordEmbeddings() { return tieWordEmbeddings; }
    public int maxPositionEmbeddings() { return maxPositionEmbeddings; }
    /** The beginning-of-sequence token, or {@code null} when the model has none (Qwen2). */
    public Integer bosTokenId() { return bosTokenId; }
    public List<Integer> eosTokenIds() { return eosTokenIds; }
    public boolean attentionBias() { return attentionBias; }
    public String architecture() { return architecture; }
    /** The checkpoint's storage dtype name: {@code float32}, {@code bfloat16} or {@code float16}. */
    public String dtype() { return dtype; }

    /** Number of parameters (elements) of a model with this configuration. */
    public long parameterCount() {
        long h = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKvHeads * headDim;
        long perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
        if (attentionBias) {
            perLayer += q + 2 * kv;
        }
        long total = (long) vocabSize * h + numLayers * perLayer + h;
        if (!tieWordEmbeddings) {
            total += (long) vocabSize * h;
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelConfig c)) {
            return false;
        }
        return vocabSize == c.vocabSize && hiddenSize == c.hiddenSize
                && intermediateSize == c.intermediateSize && numLayers == c.numLayers
                && numHeads == c.numHeads && numKvHeads == c.numKvHeads && headDim == c.headDim
                && ropeTheta == c.ropeTheta && rmsNormEps == c.rmsNormEps
                && tieWordEmbeddings == c.tieWordEmbeddings
                && maxPositionEmbeddings == c.maxPositionEmbeddings
                && Objects.equals(bosTokenId, c.bosTokenId) && eosTokenIds.equals(c.eosTokenIds)
                && attentionBias == c.attentionBias && architecture.equals(c.architecture)
                && dtype.equals(c.dtype);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vocabSize, hiddenSize, intermediateSize, numLayers, numHeads,
                numKvHeads, headDim, architecture, dtype);
    }

    @Override
    public String toString() {
        return architecture + "{vocab=" + vocabSize + ", hidden=" + hiddenSize + ", inter="
                + intermediateSize + ", layers=" + numLayers + ", heads=" + numHeads + "/"
                + numKvHeads + "x" + headDim + ", theta=" + ropeTheta + ", tied="
                + tieWordEmbeddings + ", bias=" + attentionBias + ", dtype=" + dtype + "}";
    }

    /** Builder of {@link ModelConfig}: {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private int vocabSize;
        private int hiddenSize;
        private int intermediateSize;
        private int numLayers;
        private int numHeads;
        private Integer numKvHeads;
        private Integer headDim;
        private double ropeTheta = 10000.0;
        private double rmsNormEps = 1e-6;
        private boolean tieWordEmbeddings;
        private int maxPositionEmbeddings = 2048;
        private Integer bosTokenId;
        private List<Integer> eosTokenIds = new ArrayList<>();
        private Boolean attentionBias;
        private String architecture = QWEN2;
        private String dtype = "float32";
        private ObjectNode extra;

        private Builder() {}

        public Builder setVocabSize(int v) { vocabSize = v; return this; }
        public Builder setHiddenSize(int v) { hiddenSize = v; return this; }
        public Builder setIntermediateSize(int v) { intermediateSize = v; return this; }
        public Builder setNumLayers(int v) { numLayers = v; return this; }
        public Builder setNumHeads(int v) { numHeads = v; return this; }
        public Builder setArchitecture(String v) { architecture = v; return this; }
        public Builder optNumKvHeads(int v) { numKvHeads = v; return this; }
        public Builder optHeadDim(int v) { headDim = v; return this; }
        public Builder optRopeTheta(double v) { ropeTheta = v; return this; }
        public Builder optRmsNormEps(double v) { rmsNormEps = v; return this; }
        public Builder optTieWordEmbeddings(boolean v) { tieWordEmbeddings = v; return this; }
        public Builder optMaxPositionEmbeddings(int v) { maxPositionEmbeddings = v; return this; }
        public Builder optBosTokenId(Integer v) { bosTokenId = v; return this; }
        public Builder optEosTokenIds(List<Integer> v) { eosTokenIds = new ArrayList<>(v); return this; }
        public Builder optAttentionBias(boolean v) { attentionBias = v; return this; }
        public Builder optDtype(String v) { dtype = v; return this; }

        /** Validates and builds. */
        public ModelConfig build() {
            positive("vocab_size", vocabSize);
            positive("hidden_size", hiddenSize);
            positive("intermediate_size", intermediateSize);
            positive("num_hidden_layers", numLayers);
            positive("num_attention_heads", numHeads);
            int kv = numKvHeads == null ? numHeads : numKvHeads;
            positive("num_key_value_heads", kv);
            if (numHeads % kv != 0) {
                throw new IllegalArgumentException("num_attention_heads " + numHeads
                        + " is not a multiple of num_key_value_heads " + kv);
            }
            if (headDim == null && hiddenSize % numHeads != 0) {
                throw new IllegalArgumentException("hidden_size " + hiddenSize
                        + " is not divisible by num_attention_heads " + numHeads);
            }
            int hd = headDim == null ? hiddenSize / numHeads : headDim;
            if (hd <= 0 || hd % 2 != 0) {
                throw new IllegalArgumentException("head_dim must be positive and even, got " + hd);
            }
            positive("max_position_embeddings", maxPositionEmbeddings);
            if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
                throw new IllegalArgumentException("rope_theta and rms_norm_eps must be positive");
            }
            if (!QWEN2.equals(architecture) && !LLAMA.equals(architecture)) {
                throw new IllegalArgumentException("unsupported architecture " + architecture);
            }
            if (QWEN2.equals(architecture) && Boolean.FALSE.equals(attentionBias)) {
                throw new IllegalArgumentException("Qwen2 always has q/k/v bias");
            }
            if (!List.of("float32", "bfloat16", "float16").contains(dtype)) {
                throw new IllegalArgumentException("unsupported dtype " + dtype
                        + " (float32, bfloat16, float16)");
            }
            for (Integer id : eosTokenIds) {
                if (id == null || id < 0) {
                    throw new IllegalArgumentException("bad eos_token_id " + id);
                }
            }
            return new ModelConfig(this);
        }

        private static void positive(String key, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(key + " must be positive, got " + v);
            }
        }
    }
}
