package org.o1pruner.toyworld.analysis;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.o1pruner.grading.Grader;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.LoadedModel;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.model.Tokenizer;
import org.o1pruner.model.sampling.FinishReason;
import org.o1pruner.model.sampling.Generation;
import org.o1pruner.model.sampling.Generator;
import org.o1pruner.model.sampling.SamplingParams;

/**
 * Samples and grades the solutions a disharmony analysis needs: for every problem, N sampled
 * solutions under the default instruction (the length-interval analysis), one greedy solution,
 * and the same two under the paper's fast-solving instruction. Each solution is graded against
 * the ground truth; in the toy world its re-checks are read back with {@link TraceShape}.
 *
 * <p>Generation runs on one dedicated thread (with gradient recording off), never on the
 * caller's: PyTorch's per-op overhead was measured an order of magnitude higher on the JVM's main
 * thread.
 */
public final class DisharmonyRun {

    /** The sampler service's default temperature (the paper's pre-sampling setting). */
    public static final double DEFAULT_TEMPERATURE = 0.5;
    /** The sampler service's default nucleus mass (the paper's pre-sampling setting). */
    public static final double DEFAULT_TOP_P = 0.8;
    /** Enough new tokens for the longest toy trace (four re-checks of a five-term hard chain). */
    public static final int DEFAULT_MAX_NEW_TOKENS = 320;

    /**
     * What to run.
     *
     * @param modelDir     Hugging Face directory of the model (with its tokenizer)
     * @param dataset      {@code toy:test}, {@code toy:train} or a {@code .jsonl} path
     * @param problems     how many problems from the start of the data set (0 = all)
     * @param samples      sampled solutions per problem under the default instruction (≥ intervals)
     * @param fastSamples  sampled solutions per problem under the fast-solving instruction (0 = none)
     * @param intervals    length intervals (the paper: 4)
     * @param temperature  sampling temperature
     * @param topP         nucleus mass
     * @param maxNewTokens token budget per solution
     * @param batch        sequences decoded together
     * @param threads      PyTorch intra-op threads of the sampling thread
     * @param seed         seed of sampling and of the bootstrap
     */
    public record Options(Path modelDir, String dataset, int problems, int samples, int fastSamples, int intervals,
                          double temperature, double topP, int maxNewTokens, int batch, int threads, long seed) {
        public Options {
            Objects.requireNonNull(modelDir, "modelDir");
            Objects.requireNonNull(dataset, "dataset");
            if (problems < 0 || intervals < 1 || samples < intervals || fastSamples < 0 || maxNewTokens < 1 || batch < 1
                    || threads < 1 || !(temperature > 0) || !(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("need problems >= 0, samples >= intervals >= 1, fast samples >= 0, "
                        + "temperature > 0, top-p in (0, 1], max new tokens, batch and threads >= 1; got " + this);
            }
        }
    }

    /** One decoding pass over all problems. */
    public enum PassKind {
        /** N samples per problem, default instruction: the length-interval analysis. */
        SAMPLED("sampled", false, false),
        /** One greedy solution per problem, default instruction. */
        GREEDY("greedy", true, false),
        /** Samples under the fast-solving instruction. */
        FAST_SAMPLED("fast sampled", false, true),
        /** One greedy solution per problem under the fast-solving instruction. */
        FAST_GREEDY("fast greedy", true, true);

        private final String label;
        private final boolean greedy;
        private final boolean fast;

        PassKind(String label, boolean greedy, boolean fast) {
            this.label = label;
            this.greedy = greedy;
            this.fast = fast;
        }

        public String label() {
            return label;
        }

        public boolean greedy() {
            return greedy;
        }

        public boolean fast() {
            return fast;
        }
    }

    /**
     * The graded solutions of one pass.
     *
     * @param kind      which pass
     * @param problems  per problem, its solutions
     * @param seconds   wall time of the pass
     * @param tokens    tokens generated (EOS included)
     */
    public record Pass(PassKind kind, List<ProblemSamples> problems, double seconds, long tokens) {
        public Pass {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Everything sampled.
     *
     * @param options  what was asked
     * @param dataset  the problems used (after the limit)
     * @param passes   the passes that ran, in {@link PassKind} order
     * @param device   where the model ran
     * @param seconds  total wall time, model loading included
     * @param modelId  sha-256 of the model's {@code o1p-manifest.json} (which lists every file's sum), or
     *                 {@code "no manifest"}: says exactly which checkpoint was analysed
     */
    public record Result(Options options, AnalysisDataset dataset, List<Pass> passes, String device, double seconds,
                         String modelId) {
        public Result {
            passes = List.copyOf(passes);
        }

        /** The pass of a kind, or null when it did not run. */
        public Pass pass(PassKind kind) {
            return passes.stream().filter(p -> p.kind() == kind).findFirst().orElse(null);
        }
    }

    private DisharmonyRun() {
    }

    /**
     * Loads the model and data set and runs every pass on a dedicated thread.
     *
     * @param progress where progress bars go (null: silent)
     */
    public static Result run(Options o, PrintStream progress) throws IOException, InterruptedException {
        AnalysisDataset dataset = AnalysisDataset.load(o.dataset()).limit(o.problems());
        if (dataset.problems().isEmpty()) {
            throw new IllegalArgumentException("data set " + o.dataset() + " has no usable problems");
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "o1p-disharmony-sampler");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Result> f = worker.submit(() -> sampleAll(o, dataset, progress));
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("sampling failed: " + c, c);
        } finally {
            worker.shutdownNow();
        }
    }

    private static Result sampleAll(Options o, AnalysisDataset dataset, PrintStream progress) {
        long start = System.nanoTime();
        GradMode.setIntraOpThreads(o.threads());
        Device device = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        try (Tokenizer tokenizer = Tokenizer.load(o.modelDir());
                CausalLM model = CausalLM.load(o.modelDir(), device);
                GradMode.Scope off = GradMode.disabled()) {
            PromptFormat format = LoadedModel.promptFormat(o.modelDir(), tokenizer);
            Set<Integer> eos = new HashSet<>(model.config().eosTokenIds());
            tokenizer.eosTokenId().ifPresent(eos::add);
            if (eos.isEmpty()) {
                throw new CheckpointException(o.modelDir() + ": the model names no end-of-sequence token");
            }
            int pad = tokenizer.padTokenId().orElse(eos.iterator().next());
            Generator generator = new Generator(model, eos, pad, ids -> tokenizer.decode(ids, true), o.batch()).withFrozenModel();
            Grader grader = Grader.defaults();
            List<Pass> passes = new ArrayList<>();
            for (PassKind kind : PassKind.values()) {
                int perProblem = kind.greedy() ? 1 : kind.fast() ? o.fastSamples() : o.samples();
                if (perProblem == 0) {
                    continue;
                }
                passes.add(pass(kind, perProblem, o, dataset, format, tokenizer, generator,
                        model.config().maxPositionEmbeddings(), grader, progress));
            }
            return new Result(o, dataset, passes, device.getDeviceType(), (System.nanoTime() - start) / 1e9,
                    manifestSha(o.modelDir()));
        }
    }

    private static Pass pass(PassKind kind, int perProblem, Options o, AnalysisDataset dataset, PromptFormat format,
                             Tokenizer tokenizer, Generator generator, int room, Grader grader,
                             PrintStream progress) {
        long start = System.nanoTime();
        List<AnalysisProblem> problems = dataset.problems();
        int chunk = Math.max(1, o.batch() / perProblem);
        ProgressBar bar = new ProgressBar(progress, kind.label(), (long) problems.size() * perProblem);
        List<ProblemSamples> out = new ArrayList<>(problems.size());
        long tokens = 0;
        for (int from = 0; from < problems.size(); from += chunk) {
            List<AnalysisProblem> part = problems.subList(from, Math.min(problems.size(), from + chunk));
            List<int[]> prompts = new ArrayList<>(part.size() * perProblem);
            int longest = 0;
            for (AnalysisProblem p : part) {
                int[] ids = tokenizer.encode(format.render(p.problem(),
                        kind.fast() ? PromptFormat.Speed.FAST : PromptFormat.Speed.NORMAL));
                longest = Math.max(longest, ids.length);
                for (int s = 0; s < perProblem; s++) {
                    prompts.add(ids);
                }
            }
            int budget = Math.min(o.maxNewTokens(), room - longest);
            if (budget < 1) {
                throw new IllegalArgumentException("a prompt of " + longest + " tokens leaves no room in the model's "
                        + room + " positions");
            }
            SamplingParams params = kind.greedy() ? SamplingParams.greedy(budget)
                    : new SamplingParams(o.temperature(), o.topP(), 0, budget, List.of(),
                            chunkSeed(o.seed(), kind, from));
            List<Generation> gens = generator.generate(prompts, params);
            for (int i = 0; i < part.size(); i++) {
                AnalysisProblem p = part.get(i);
                List<Solution> sols = new ArrayList<>(perProblem);
                for (int s = 0; s < perProblem; s++) {
                    Generation g = gens.get(i * perProblem + s);
                    tokens += g.tokens().length;
                    sols.add(grade(g, p, dataset.toy(), grader));
                }
                out.add(new ProblemSamples(p.id(), p.difficulty(), sols));
            }
            bar.update((long) out.size() * perProblem);
        }
        bar.finish((long) out.size() * perProblem);
        return new Pass(kind, out, (System.nanoTime() - start) / 1e9, tokens);
    }

    /** The sha-256 of a model directory's manifest, hex, or {@code "no manifest"}. */
    static String manifestSha(Path dir) {
        Path manifest = dir.resolve("o1p-manifest.json");
        if (!Files.isRegularFile(manifest)) {
            return "no manifest";
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(manifest));
            return java.util.HexFormat.of().formatHex(d);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + manifest + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Grades one generation; in the toy world also reads its re-checks. */
    static Solution grade(Generation g, AnalysisProblem p, boolean toy, Grader grader) {
        boolean correct = grader.grade(g.text(), p.answer()).correct();
        Integer rechecks = toy ? TraceShape.parse(g.text()).map(TraceShape::rechecks).orElse(null) : null;
        return new Solution(g.length(), correct, g.finishReason() != FinishReason.LENGTH, rechecks);
    }

    /** A distinct sampling seed per pass and chunk (the generator derives one stream per row from it). */
    static long chunkSeed(long seed, PassKind kind, int from) {
        return seed * 0x9E3779B97F4A7C15L + (long) kind.ordinal() * 1_000_003L * 1_000_003L + from * 1_000_003L;
    }
}
