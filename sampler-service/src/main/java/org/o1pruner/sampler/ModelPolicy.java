package org.o1pruner.sampler;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.LoadedModel;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.model.Tokenizer;
import org.o1pruner.model.sampling.Generation;
import org.o1pruner.model.sampling.DecodeBackend;
import org.o1pruner.model.sampling.Generator;
import org.o1pruner.model.sampling.SamplingParams;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.PromptRecord;

/**
 * A policy backed by the project's DJL engine: a {@link CausalLM} loaded from a Hugging Face
 * directory, its {@link Tokenizer} and the {@link PromptFormat} its tokenizer config names
 * (see {@link LoadedModel}).
 *
 * <p>Generation is the engine's {@link Generator}: batched over a preallocated KV cache,
 * finished rows dropped from the batch, every token's log-prob recorded under the unmodified
 * distribution (temperature 1, no truncation). The token budget of a batch is clipped to the
 * model's positions left after its longest prompt.
 */
public final class ModelPolicy implements Policy {
    /** Rows decoded together when the caller does not say. */
    public static final int DEFAULT_MAX_BATCH = 64;

    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final PromptFormat format;
    private final long version;
    private final Set<Integer> eosIds;
    private final int padId;
    private final int maxLength;
    private final Generator generator;

    private ModelPolicy(CausalLM model, Tokenizer tokenizer, PromptFormat format, long version, int maxBatch,
            DecodeBackend backend) {
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
        // a policy's weights never change (a new version is a new policy): snapshot them once
        this.generator = new Generator(model, eosIds, padId, ids -> tokenizer.decode(ids, true), maxBatch)
                .withBackend(backend).withFrozenModel();
    }

    /** Wraps an already-loaded model (the policy takes ownership of both). */
    public static ModelPolicy of(CausalLM model, Tokenizer tokenizer, PromptFormat format, long version, int maxBatch) {
        return new ModelPolicy(model, tokenizer, format, version, maxBatch, DecodeBackend.AUTO);
    }

    /**
     * Loads a model directory (verifying its manifest when it has one) as policy {@code version}.
     *
     * @param device where to run; null picks the first GPU when there is one
     * @throws CheckpointException when the directory is unusable
     */
    public static ModelPolicy load(Path dir, long version, Device device) {
        return load(dir, version, device, DEFAULT_MAX_BATCH);
    }

    /** As {@link #load(Path, long, Device)}, decoding at most {@code maxBatch} rows together. */
    public static ModelPolicy load(Path dir, long version, Device device, int maxBatch) {
        return load(dir, version, device, maxBatch, DecodeBackend.AUTO);
    }

    /**
     * As {@link #load(Path, long, Device, int)} with a decoding backend.
     *
     * @throws IllegalArgumentException when {@code backend} is JAVA and the model is not float32 on the CPU
     */
    public static ModelPolicy load(Path dir, long version, Device device, int maxBatch, DecodeBackend backend) {
        LoadedModel loaded = LoadedModel.load(dir, device);
        try {
            return new ModelPolicy(loaded.model(), loaded.tokenizer(), loaded.format(), version, maxBatch, backend);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** The device named by {@code cpu|gpu|auto}. */
    public static Device device(String name) {
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            default -> LoadedModel.defaultDevice();
        };
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
        if (prompts.isEmpty()) {
            return List.of();
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int maxNew = Math.min(s.maxNewTokens(), maxLength - longest);
        if (maxNew < 1) {
            throw new IllegalArgumentException("prompts of " + longest + " tokens leave no room to generate");
        }
        SamplingParams params = new SamplingParams(s.temperature(), s.topP(), s.topK(), maxNew, s.stopStrings(), seed);
        List<Generation> done = generator.generate(prompts, params);
        List<Completion> out = new ArrayList<>(done.size());
        for (Generation g : done) {
            float[] lp = g.logProbs().clone();
            for (int i = 0; i < lp.length; i++) {
                lp[i] = Math.min(0f, lp[i]); // log-softmax in float may round log(1) a hair above 0
            }
            out.add(new Completion(g.tokens(), lp, finishReason(g.finishReason()), g.text()));
        }
        return out;
    }

    static FinishReason finishReason(org.o1pruner.model.sampling.FinishReason r) {
        return switch (r) {
            case EOS -> FinishReason.EOS;
            case STOP_STRING -> FinishReason.STOP_STRING;
            case LENGTH -> FinishReason.LENGTH;
        };
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
