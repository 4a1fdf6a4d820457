package org.o1pruner.eval;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.LoadedModel;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.model.Tokenizer;
import org.o1pruner.model.sampling.FinishReason;
import org.o1pruner.model.sampling.Generation;
import org.o1pruner.model.sampling.DecodeBackend;
import org.o1pruner.model.sampling.Generator;
import org.o1pruner.model.sampling.SamplingParams;

/**
 * A model ready to be evaluated: the engine's {@link CausalLM}, its {@link Tokenizer}, the
 * prompt format its tokenizer config names, and a batched {@link Generator}. Owns (and closes)
 * the model and the tokenizer.
 *
 * <p>Prompts follow the paper's protocol ({@code Solve the problem: {problem}{speed}} in the
 * model's chat markup, the fast-solving suffix when asked); the toy world's tokenizer config
 * names its format ({@code o1p_prompt_format}), real models' chat templates imply theirs.
 */
public final class EvalModel implements Solver, AutoCloseable {
    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final PromptFormat format;
    private final Generator generator;

    private EvalModel(CausalLM model, Tokenizer tokenizer, PromptFormat format, int batchSize, DecodeBackend backend) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.format = Objects.requireNonNull(format, "format");
        Set<Integer> eos = new HashSet<>(model.config().eosTokenIds());
        tokenizer.eosTokenId().ifPresent(eos::add);
        if (eos.isEmpty()) {
            throw new CheckpointException("the model names no end-of-sequence token (config.json eos_token_id or "
                    + "tokenizer_config.json eos_token)");
        }
        int pad = tokenizer.padTokenId().orElse(eos.iterator().next());
        // an evaluated checkpoint's weights never change: the Java decoder snapshots them once
        this.generator = new Generator(model, eos, pad, ids -> tokenizer.decode(ids, true), batchSize)
                .withBackend(backend).withFrozenModel();
    }

    /** Wraps a loaded model; the evaluation model takes ownership of both. */
    public static EvalModel of(CausalLM model, Tokenizer tokenizer, PromptFormat format, int batchSize) {
        return new EvalModel(model, tokenizer, format, batchSize, DecodeBackend.AUTO);
    }

    /**
     * Loads a Hugging Face directory (the engine verifies its manifest when it has one); the
     * prompt format is the one {@link LoadedModel#promptFormat} finds.
     *
     * @param device where to run; null picks the first GPU when there is one
     * @throws CheckpointException when the directory is unusable
     */
    public static EvalModel load(Path dir, Device device, int batchSize) {
        return load(dir, device, batchSize, DecodeBackend.AUTO);
    }

    /**
     * As {@link #load(Path, Device, int)} with a decoding backend.
     *
     * @throws IllegalArgumentException when {@code backend} is JAVA and the model is not float32 on the CPU
     */
    public static EvalModel load(Path dir, Device device, int batchSize, DecodeBackend backend) {
        LoadedModel loaded = LoadedModel.load(dir, device);
        try {
            return new EvalModel(loaded.model(), loaded.tokenizer(), loaded.format(), batchSize, backend);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    public CausalLM model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The prompt's token ids for a problem. */
    public int[] promptTokens(String problem, boolean fast) {
        return tokenizer.encode(format.render(problem, fast ? PromptFormat.Speed.FAST : PromptFormat.Speed.NORMAL));
    }

    @Override
    public List<List<Solution>> solve(List<EvalProblem> problems, Decoding decoding, int maxNewTokens, long seed) {
        int k = decoding.samples();
        List<int[]> prompts = new ArrayList<>(problems.size() * k);
        int longest = 0;
        for (EvalProblem p : problems) {
            int[] ids = promptTokens(p.problem(), decoding.fastPrompt());
            longest = Math.max(longest, ids.length);
            for (int s = 0; s < k; s++) {
                prompts.add(ids);
            }
        }
        if (prompts.isEmpty()) {
            return List.of();
        }
        int room = model.config().maxPositionEmbeddings() - longest;
        if (room < 1) {
            throw new IllegalArgumentException("a prompt of " + longest + " tokens leaves no room in the model's "
                    + model.config().maxPositionEmbeddings() + " positions");
        }
        SamplingParams params = decoding.mode() == Decoding.Mode.GREEDY
                ? SamplingParams.greedy(Math.min(maxNewTokens, room))
                : new SamplingParams(decoding.temperature(), decoding.topP(), 0, Math.min(maxNewTokens, room),
                        List.of(), seed);
        List<Generation> gens = generator.generate(prompts, params);
        List<List<Solution>> out = new ArrayList<>(problems.size());
        for (int i = 0; i < problems.size(); i++) {
            List<Solution> mine = new ArrayList<>(k);
            for (int s = 0; s < k; s++) {
                Generation g = gens.get(i * k + s);
                mine.add(new Solution(g.text(), g.length(), g.finishReason() == FinishReason.LENGTH));
            }
            out.add(mine);
        }
        return out;
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
