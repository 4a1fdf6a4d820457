package org.o1pruner.toyworld;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.model.train.AdamW;
import org.o1pruner.model.train.CosineSchedule;
import org.o1pruner.model.train.Losses;
import org.o1pruner.model.train.TrainStep;

/**
 * Builds the toy world's reference model: a small Qwen2 configuration of the project's engine,
 * trained from a seeded random start by supervised fine-tuning (token-mean NLL of the response,
 * {@link Losses#sftNll}) on freshly written traces, and saved in the engine's checkpoint format
 * with its manifest and the toy tokenizer. Progress goes to stderr as a bar, with a loss line
 * every {@code logEvery} steps.
 *
 * <p>Rebuild the shipped model from the repository root (see {@link #main} for every option):
 * {@code java -cp "toy-world/target/classes:$(cat toy-world/target/cp.txt)" -Dai.djl.offline=true
 * org.o1pruner.toyworld.ReferenceModelBuilder --out toy-world/reference-model}.
 */
public final class ReferenceModelBuilder {

    /**
     * Everything that determines the built model.
     *
     * @param layers         decoder layers
     * @param hidden         model width
     * @param heads          query heads
     * @param kvHeads        key/value heads (grouped-query attention)
     * @param intermediate   SwiGLU width
     * @param steps          optimizer steps
     * @param batch          sequences per step
     * @param lr             peak learning rate (cosine decay to 10 %)
     * @param warmupFraction share of steps with linear warm-up
     * @param fastShare      share of examples with the fast-solving prompt
     * @param seed           seeds the weights and the example stream
     * @param logEvery       steps between loss lines
     * @param threads        intra-op threads
     * @param evalProblems   test problems decoded greedily after training (0: none)
     */
    public record Settings(int layers, int hidden, int heads, int kvHeads, int intermediate, int steps, int batch,
                           double lr, double warmupFraction, double fastShare, long seed, int logEvery,
                           int threads, int evalProblems) {

        /** The shipped model's settings. */
        public static Settings defaults() {
            return new Settings(6, 192, 6, 2, 384, 6000, 32, 1e-3, 0.05, 0.15, 2026L, 100, 2, 500);
        }

        /** As the canonical constructor, without a greedy check. */
        public Settings(int layers, int hidden, int heads, int kvHeads, int intermediate, int steps, int batch,
                        double lr, double warmupFraction, double fastShare, long seed, int logEvery, int threads) {
            this(layers, hidden, heads, kvHeads, intermediate, steps, batch, lr, warmupFraction, fastShare, seed,
                    logEvery, threads, 0);
        }

        public Settings {
            if (layers < 1 || hidden < 8 || heads < 1 || kvHeads < 1 || heads % kvHeads != 0 || hidden % heads != 0
                    || intermediate < 1 || steps < 1 || batch < 1 || !(lr > 0) || !(warmupFraction >= 0)
                    || warmupFraction >= 1 || !(fastShare >= 0 && fastShare <= 1) || logEvery < 1 || threads < 1 || evalProblems < 0) {
                throw new IllegalArgumentException("invalid reference-model settings: " + this);
            }
        }

        /** The engine configuration these settings describe. */
        public ModelConfig modelConfig() {
            ToyVocabulary v = ToyVocabulary.get();
            return ModelConfig.builder()
                    .setArchitecture(ModelConfig.QWEN2)
                    .setVocabSize(v.size())
                    .setHiddenSize(hidden)
                    .setIntermediateSize(intermediate)
                    .setNumLayers(layers)
                    .setNumHeads(heads)
                    .optNumKvHeads(kvHeads)
                    .optMaxPositionEmbeddings(ToyPrompt.MAX_LENGTH)
                    .optEosTokenIds(List.of(v.eosId()))
                    .optTieWordEmbeddings(true)
                    .build();
        }
    }

    /** What a run did. */
    public record Report(List<Double> losses, long tokens, double seconds) {
        /** Scored tokens per second. */
        public double tokensPerSecond() {
            return tokens / Math.max(seconds, 1e-9);
        }
    }

    /** Token budget of a greedy check's response. */
    static final int EVAL_MAX_NEW = 320;
    /** Rows decoded together in a greedy check. */
    static final int EVAL_BATCH = 50;

    private ReferenceModelBuilder() {
    }

    /**
     * Trains {@code model} in place for {@code s.steps()} steps on the toy world's training traces.
     *
     * Sets the process-wide intra-op thread count to {@code s.threads()}.
     *
     * @param progress where the bar and loss lines go (null for silence)
     */
    public static Report train(CausalLM model, Settings s, PrintStream progress) {
        GradMode.setIntraOpThreads(s.threads());
        ToyWorld.SftStream stream = ToyWorld.standard().sftStream(Split.TRAIN, s.seed(), s.fastShare());
        List<Double> losses = new ArrayList<>();
        long tokens = 0;
        long start = System.nanoTime();
        CosineSchedule schedule = new CosineSchedule(s.lr(), s.steps(), s.warmupFraction(), s.lr() * 0.1);
        try (TrainStep step = TrainStep.builder()
                .setParameters(model.parameters())
                .setSchedule(schedule)
                .optAdamW(AdamW.Settings.defaults().withWeightDecay(0.01).exemptBiasAndNorm())
                .optMaxGradNorm(1.0)
                // the shipped reference model was made with the recorded forward and tensor AdamW;
                // the fused paths agree with them only to float32 rounding, so the documented
                // rebuild keeps the arithmetic that reproduces the shipped bits
                .optFusedBackward(false)
                .optFusedOptimizer(false)
                .build()) {
            for (int i = 0; i < s.steps(); i++) {
                List<ToyWorld.SftExample> examples = new ArrayList<>(s.batch());
                for (int b = 0; b < s.batch(); b++) {
                    examples.add(stream.next());
                }
                SftBatch batch = SftBatch.of(examples);
                TrainStep.Result r = step.step(List.of(batch), (scope, mb) -> loss(model, scope, mb));
                losses.add(r.loss());
                tokens += batch.tokens();
                if (progress != null) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    progress.print("\r" + bar(i + 1, s.steps(), r.loss(), tokens / secs, secs));
                    if ((i + 1) % s.logEvery() == 0 || i + 1 == s.steps()) {
                        progress.printf(Locale.ROOT, "%nstep %d/%d loss %.4f (mean of last %d: %.4f) lr %.2e "
                                        + "grad-norm %.3f%n", i + 1, s.steps(), r.loss(), Math.min(s.logEvery(), i + 1),
                                meanOfLast(losses, s.logEvery()), r.lr(), r.gradNorm());
                    }
                    progress.flush();
                }
            }
        }
        return new Report(losses, tokens, (System.nanoTime() - start) / 1e9);
    }

    /** Token-mean NLL of the batch's response tokens under {@code model}. */
    static NDArray loss(CausalLM model, NDManager scope, SftBatch b) {
        Shape shape = new Shape(b.batch(), b.width());
        NDArray ids = scope.create(flat(b.inputs()), shape);
        NDArray attention = scope.create(flatInt(b.attention()), shape).toType(ai.djl.ndarray.types.DataType.INT64,
                false);
        NDArray targets = scope.create(flat(b.targets()), shape);
        NDArray mask = scope.create(flatInt(b.lossMask()), shape).toType(ai.djl.ndarray.types.DataType.FLOAT32,
                false);
        NDArray logits = model.forward(ids, attention, null);
        NDArray tokenLogProbs = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
        return Losses.sftNll(tokenLogProbs, mask);
    }

    private static long[] flat(long[][] a) {
        long[] out = new long[a.length * (a.length == 0 ? 0 : a[0].length)];
        int k = 0;
        for (long[] row : a) {
            System.arraycopy(row, 0, out, k, row.length);
            k += row.length;
        }
        return out;
    }

    private static int[] flatInt(int[][] a) {
        int[] out = new int[a.length * (a.length == 0 ? 0 : a[0].length)];
        int k = 0;
        for (int[] row : a) {
            System.arraycopy(row, 0, out, k, row.length);
            k += row.length;
        }
        return out;
    }

    static double meanOfLast(List<Double> xs, int n) {
        int from = Math.max(0, xs.size() - n);
        double sum = 0;
        for (int i = from; i < xs.size(); i++) {
            sum += xs.get(i);
        }
        return sum / Math.max(1, xs.size() - from);
    }

    static String bar(int done, int total, double loss, double tokensPerSecond, double seconds) {
        int width = 30;
        int filled = (int) ((long) width * done / total);
        double eta = done == 0 ? 0 : seconds / done * (total - done);
        return String.format(Locale.ROOT, "[%s%s] %d/%d loss %.4f %.0f tok/s elapsed %s eta %s",
                "#".repeat(filled), ".".repeat(width - filled), done, total, loss, tokensPerSecond,
                duration(seconds), duration(eta));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Builds, trains and saves the model; returns the run's report. */
    public static Report build(Settings s, Path out, PrintStream progress) throws IOException {
        ModelConfig config = s.modelConfig();
        if (progress != null) {
            progress.printf(Locale.ROOT, "toy reference model: %s, %,d parameters (%.1f MB float32), %s%n",
                    config, config.parameterCount(), config.parameterCount() * 4 / 1e6, s);
        }
        try (CausalLM model = CausalLM.random(config, s.seed(), Device.cpu())) {
            Report report = train(model, s, progress);
            String eval = "";
            if (s.evalProblems() > 0) {
                List<ToyProblem> test = ToyWorld.standard().problems(Split.TEST);
                test = test.subList(0, Math.min(test.size(), s.evalProblems()));
                GradMode.setIntraOpThreads(1);
                List<GreedyCheck.Outcome> outcomes = new ArrayList<>();
                for (Variant v : Variant.values()) {
                    outcomes.addAll(GreedyCheck.run(model, test, v, EVAL_MAX_NEW, EVAL_BATCH));
                }
                eval = GreedyCheck.summary(outcomes);
                if (progress != null) {
                    progress.print("greedy check on " + test.size() + " test problems:\n" + eval);
                }
            }
            Map<String, String> extra = new LinkedHashMap<>();
            Path tok = ToyWorld.standard().tokenizerDir();
            for (String f : ToyWorld.TOKENIZER_FILES) {
                extra.put(f, Files.readString(tok.resolve(f), StandardCharsets.UTF_8));
            }
            extra.put("o1p-toy-build.json", buildInfo(s, report));
            if (!eval.isEmpty()) {
                extra.put("GREEDY_CHECK.md", "# Greedy check of the toy reference model\n\n" + eval);
            }
            model.save(out, extra);
            CausalLM.verify(out);
            if (progress != null) {
                progress.printf(Locale.ROOT, "saved %s (final loss %.4f, %.0f tok/s, %.0f s)%n", out,
                        meanOfLast(report.losses(), s.logEvery()), report.tokensPerSecond(), report.seconds());
            }
            return report;
        }
    }

    private static String buildInfo(Settings s, Report r) {
        return String.format(Locale.ROOT, "{%n  \"settings\": \"%s\",%n  \"world\": \"%s\",%n  \"final_loss\": %.6f,%n"
                        + "  \"tokens\": %d,%n  \"seconds\": %.1f%n}%n", s, WorldParams.DEFAULT,
                meanOfLast(r.losses(), s.logEvery()), r.tokens(), r.seconds());
    }

    /**
     * Command line: {@code --out DIR} (required) and optional {@code --steps --batch --lr --layers --hidden
     * --heads --kv-heads --intermediate --warmup --fast-share --seed --log-every --threads --eval}.
     */
    public static void main(String[] args) throws IOException {
        Settings d = Settings.defaults();
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + String.join(" ", args));
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String out = opts.remove("out");
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Settings s = new Settings(
                intOpt(opts, "layers", d.layers()), intOpt(opts, "hidden", d.hidden()),
                intOpt(opts, "heads", d.heads()), intOpt(opts, "kv-heads", d.kvHeads()),
                intOpt(opts, "intermediate", d.intermediate()), intOpt(opts, "steps", d.steps()),
                intOpt(opts, "batch", d.batch()), dblOpt(opts, "lr", d.lr()), dblOpt(opts, "warmup", d.warmupFraction()),
                dblOpt(opts, "fast-share", d.fastShare()), longOpt(opts, "seed", d.seed()),
                intOpt(opts, "log-every", d.logEvery()), intOpt(opts, "threads", d.threads()),
                intOpt(opts, "eval", d.evalProblems()));
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + opts.keySet());
        }
        // Train on a dedicated thread: PyTorch's intra-op pool on the JVM's main thread was measured to run
        // these steps an order of magnitude slower (the trainer service found the same, see its README).
        Path dir = Path.of(out);
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                build(s, dir, System.err);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "reference-model-builder");
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the reference model", e);
        }
        if (failure[0] instanceof IOException io) {
            throw io;
        } else if (failure[0] instanceof RuntimeException re) {
            throw re;
        } else if (failure[0] != null) {
            throw new IllegalStateException("reference model build failed", failure[0]);
        }
    }

    private static int intOpt(Map<String, String> o, String key, int def) {
        String v = o.remove(key);
        return v == null ? def : Integer.parseInt(v);
    }

    private static long longOpt(Map<String, String> o, String key, long def) {
        String v = o.remove(key);
        return v == null ? def : Long.parseLong(v);
    }

    private static double dblOpt(Map<String, String> o, String key, double def) {
        String v = o.remove(key);
        return v == null ? def : Double.parseDouble(v);
    }
}
