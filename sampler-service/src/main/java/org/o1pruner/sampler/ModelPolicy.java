package org.o1pruner.sampler;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.model.Tokenizer;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.PromptRecord;

/**
 * A policy backed by the project's DJL engine: a {@link CausalLM} loaded from a Hugging Face
 * directory, its {@link Tokenizer} and the {@link PromptFormat} its tokenizer config names.
 *
 * <p>Generation is batched over a preallocated KV cache: one prefill of the left-padded
 * prompts, then one forward per token for the rows still running; a row that ends (EOS, a stop
 * string, or the token limit) is dropped from the cache ({@code keepRows}) so it stops costing
 * work. The recorded log-prob of each token is log-softmax of the raw logits (temperature 1, no
 * truncation), taken from the same forward that drew it. Gradient recording is off.
 */
public final class ModelPolicy implements Policy {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code tokenizer_config.json} field naming the toy world's prompt format. */
    static final String PROMPT_FORMAT_FIELD = "o1p_prompt_format";

    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final PromptFormat format;
    private final long version;
    private final Set<Integer> eosIds;
    private final int padId;
    private final int maxLength;

    private ModelPolicy(CausalLM model, Tokenizer tokenizer, PromptFormat format, long version) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.format = format;
        this.version = version;
        Set<Integer> eos = new HashSet<>(model.config().eosTokenIds());
        tokenizer.eosTokenId().ifPresent(eos::add);
        if (eos.isEmpty()) {
            throw new CheckpointException("the model names no end-of-sequence token (config.json eos_token_id or "
                    + "tokenizer_config.json eos_token)");
        }
        this.eosIds = Set.copyOf(eos);
        this.padId = tokenizer.padTokenId().orElse(eos.iterator().next());
        this.maxLength = model.config().maxPositionEmbeddings();
    }

    /** Wraps an already-loaded model (the policy takes ownership of both). */
    public static ModelPolicy of(CausalLM model, Tokenizer tokenizer, PromptFormat format, long version) {
        return new ModelPolicy(model, tokenizer, format, version);
    }

    /**
     * Loads a model directory (verifying its manifest when it has one) as policy {@code version}.
     *
     * @param device where to run; null picks the first GPU when there is one
     * @throws CheckpointException when the directory is unusable
     */
    public static ModelPolicy load(Path dir, long version, Device device) {
        Device d = device != null ? device : defaultDevice();
        Tokenizer tokenizer = Tokenizer.load(dir);
        CausalLM model = null;
        try {
            PromptFormat format = promptFormat(dir, tokenizer);
            model = CausalLM.load(dir, d);
            return new ModelPolicy(model, tokenizer, format, version);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    /** The device named by {@code cpu|gpu|auto}. */
    public static Device device(String name) {
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            default -> defaultDevice();
        };
    }

    private static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /**
     * The prompt format of a model directory: the toy world's {@code chatml-no-system} when its
     * tokenizer config says so, otherwise what the chat template implies.
     */
    static PromptFormat promptFormat(Path dir, Tokenizer tokenizer) {
        Path cfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            try {
                JsonNode named = JSON.readTree(cfg.toFile()).get(PROMPT_FORMAT_FIELD);
                if (named != null && named.isTextual()) {
                    return switch (named.asText()) {
                        case "chatml-no-system" -> PromptFormat.chatMl(null);
                        case "chatml" -> PromptFormat.chatMl();
                        case "llama3" -> PromptFormat.llama3();
                        case "plain" -> PromptFormat.plain();
                        default -> throw new CheckpointException(cfg + ": unknown " + PROMPT_FORMAT_FIELD + " '"
                                + named.asText() + "'");
                    };
                }
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + cfg + ": " + e.getMessage(), e);
            }
        }
        return PromptFormat.forTokenizer(tokenizer);
    }

    public CausalLM model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public PromptFormat format() {
        return format;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public int[] promptTokens(PromptRecord prompt) {
        PromptFormat.Speed speed = PromptRecord.VARIANT_FAST.equals(prompt.variant())
                ? PromptFormat.Speed.FAST : PromptFormat.Speed.NORMAL;
        int[] ids = tokenizer.encode(format.render(prompt.problem(), speed));
        if (ids.length == 0 || ids.length >= maxLength) {
            throw new IllegalArgumentException("prompt of " + prompt.problemId() + " has " + ids.length
                    + " tokens; the model takes at most " + (maxLength - 1) + " before its answer");
        }
        return ids;
    }

    @Override
    public List<Completion> generate(List<int[]> prompts, SamplingSettings s, long seed) {
        Objects.requireNonNull(s, "settings");
        int batch = prompts.size();
        if (batch == 0) {
            return List.of();
        }
        int promptLen = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int maxNew = Math.min(s.maxNewTokens(), maxLength - promptLen);
        if (maxNew < 1) {
            throw new IllegalArgumentException("prompts of " + promptLen + " tokens leave no room to generate");
        }
        int vocab = model.config().vocabSize();
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> tokens = new ArrayList<>(batch);
        List<List<Float>> logps = new ArrayList<>(batch);
        FinishReason[] reasons = new FinishReason[batch];
        for (int i = 0; i < batch; i++) {
            tokens.add(new ArrayList<>());
            logps.add(new ArrayList<>());
        }
        int total = promptLen + maxNew;
        // mask rows of the running sequences over every position so far (cache + new)
        int[] active = new int[batch];
        for (int i = 0; i < batch; i++) {
            active[i] = i;
        }
        long[][] mask = new long[batch][];
        long[] prefillIds = new long[batch * promptLen];
        for (int i = 0; i < batch; i++) {
            int[] p = prompts.get(i);
            int pad = promptLen - p.length;
            mask[i] = new long[total];
            for (int t = 0; t < promptLen; t++) {
                prefillIds[i * promptLen + t] = t < pad ? padId : p[t - pad];
                mask[i][t] = t < pad ? 0 : 1;
            }
        }
        try (GradMode.Scope noGrad = GradMode.disabled();
             NDManager mgr = model.manager().newSubManager();
             var cache = model.newCache(batch, total, mgr)) {
            NDIndex last = new NDIndex(":, -1, :");
            float[] lp;
            try (NDManager step = mgr.newSubManager()) {
                NDArray ids = step.create(prefillIds, new Shape(batch, promptLen));
                NDArray m = step.create(flatMask(mask, active, promptLen), new Shape(batch, promptLen));
                lp = lastLogProbs(ids, m, cache, last);
            }
            int pos = promptLen;
            long[] next = new long[batch];
            for (int t = 0; t < maxNew; t++) {
                int rows = active.length;
                int kept = 0;
                int[] keep = new int[rows];
                for (int r = 0; r < rows; r++) {
                    int seq = active[r];
                    int tok = TokenSampler.draw(lp, r * vocab, vocab, s, rng);
                    tokens.get(seq).add(tok);
                    logps.get(seq).add(lp[r * vocab + tok]);
                    FinishReason done = null;
                    if (eosIds.contains(tok)) {
                        done = FinishReason.EOS;
                    } else if (!s.stopStrings().isEmpty() && endsWithStop(tokens.get(seq), s.stopStrings())) {
                        done = FinishReason.STOP_STRING;
                    } else if (t == maxNew - 1) {
                        done = FinishReason.LENGTH;
                    }
                    if (done != null) {
                        reasons[seq] = done;
                    } else {
                        keep[kept] = r;
                        next[kept] = tok;
                        mask[seq][pos] = 1;
                        kept++;
                    }
                }
                if (kept == 0) {
                    break;
                }
                int[] stillActive = new int[kept];
                for (int i = 0; i < kept; i++) {
                    stillActive[i] = active[keep[i]];
                }
                if (kept < rows) {
                    cache.keepRows(Arrays.copyOf(keep, kept));
                }
                active = stillActive;
                pos++;
                try (NDManager step = mgr.newSubManager()) {
                    NDArray ids = step.create(Arrays.copyOf(next, kept), new Shape(kept, 1));
                    NDArray m = step.create(flatMask(mask, active, pos), new Shape(kept, pos));
                    lp = lastLogProbs(ids, m, cache, last);
                }
            }
        }
        List<Completion> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int[] ids = tokens.get(i).stream().mapToInt(Integer::intValue).toArray();
            float[] l = new float[ids.length];
            for (int j = 0; j < l.length; j++) {
                l[j] = Math.min(0f, logps.get(i).get(j));
            }
            out.add(new Completion(ids, l, reasons[i], tokenizer.decode(ids, true)));
        }
        return out;
    }

    private float[] lastLogProbs(NDArray ids, NDArray mask, org.o1pruner.model.KvCache cache, NDIndex last) {
        NDArray hidden = model.forwardHidden(ids, mask, cache);
        NDArray logits = model.lmHead(hidden.get(last));
        if (logits.getDataType() != DataType.FLOAT32) {
            logits = logits.toType(DataType.FLOAT32, false);
        }
        return logits.logSoftmax(-1).toFloatArray();
    }

    private static long[] flatMask(long[][] mask, int[] active, int len) {
        long[] out = new long[active.length * len];
        for (int r = 0; r < active.length; r++) {
            System.arraycopy(mask[active[r]], 0, out, r * len, len);
        }
        return out;
    }

    private boolean endsWithStop(List<Integer> generated, List<String> stops) {
        int from = Math.max(0, generated.size() - 32);
        int[] tail = generated.subList(from, generated.size()).stream().mapToInt(Integer::intValue).toArray();
        String text = tokenizer.decode(tail, false);
        for (String stop : stops) {
            if (text.contains(stop)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
