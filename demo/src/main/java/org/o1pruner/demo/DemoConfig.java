package org.o1pruner.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.runtime.Parsers;
import org.o1pruner.trainer.core.SamplesPerProblem;

/**
 * The demo's configuration: {@code O1P_DEMO_*} keys (the {@code o1p demo} options set the same
 * keys), parsed once into {@link Settings}. {@code O1P_DEMO_QUICK} swaps the defaults of the
 * size keys for a smoke-test preset; a key set explicitly always wins over the preset.
 *
 * <p>The method's own knobs (λ, learning rate, epochs, samples per problem, K) are keys; the
 * baselines (fast prompt, SFT, DPO) are trained with fixed settings (one epoch, the baseline
 * learning rate) so that tuning O1-Pruner never tunes them.
 */
public final class DemoConfig {
    /** The name of the demo in metrics ({@code service} tag) and in configuration errors. */
    public static final String SERVICE = "demo";

    public static final ConfigKey<Path> MODEL_DIR = ConfigKey.optional("O1P_DEMO_MODEL_DIR", "path", Parsers::path,
            "reference model directory (default: toy-world/reference-model of the repository)");
    public static final ConfigKey<Path> REPORT_DIR = ConfigKey.withDefault("O1P_DEMO_REPORT_DIR", "path", Parsers::path,
            "report", "where table.md, checkpoints.csv, the PNG charts and summary.json are written");
    public static final ConfigKey<Path> WORK_DIR = ConfigKey.optional("O1P_DEMO_WORK_DIR", "path", Parsers::path,
            "checkpoints of the three trained methods (default: a temporary directory deleted at the end)");
    public static final ConfigKey<Boolean> QUICK = ConfigKey.withDefault("O1P_DEMO_QUICK", "boolean", Parsers::bool,
            "false", "smoke-test preset: tiny sizes for the keys not set explicitly (about 2 minutes)");
    public static final ConfigKey<Integer> PROBLEMS = ConfigKey.withDefault("O1P_DEMO_PROBLEMS", "int 1..6000",
            Parsers.intIn(1, 6000), "400", "training problems pre-sampled (quick: 24)");
    public static final ConfigKey<Integer> K = ConfigKey.withDefault("O1P_DEMO_K", "int 2..64", Parsers.intIn(2, 64),
            "8", "samples per training problem K (quick: 4)");
    public static final ConfigKey<Double> LAMBDA = ConfigKey.withDefault("O1P_DEMO_LAMBDA", "number 0..1000",
            Parsers.doubleIn(0, 1000), "2", "accuracy weight λ of the length-harmonizing reward");
    public static final ConfigKey<Double> LR = ConfigKey.withDefault("O1P_DEMO_LR", "number > 0",
            Parsers.doubleIn(1e-12, 10), "1e-5",
            "O1-Pruner's peak learning rate (1e-5: the ablations in docs/demo; 3e-5 and above trade accuracy for length)");
    public static final ConfigKey<Double> BASELINE_LR = ConfigKey.withDefault("O1P_DEMO_BASELINE_LR", "number > 0",
            Parsers.doubleIn(1e-12, 10), "1e-4", "learning rate of the SFT and DPO baselines (fixed; not an ablation knob)");
    public static final ConfigKey<Integer> EPOCHS = ConfigKey.withDefault("O1P_DEMO_EPOCHS", "int 1..100",
            Parsers.intIn(1, 100), "2", "O1-Pruner's epochs over the pre-sampled data (baselines: 1)");
    public static final ConfigKey<SamplesPerProblem> SAMPLES_PER_PROBLEM = ConfigKey.withDefault(
            "O1P_DEMO_SAMPLES_PER_PROBLEM", "int >= 1|all", SamplesPerProblem::parse, "all",
            "samples of each problem O1-Pruner trains on (all K feed the means; paper code: 2)");
    public static final ConfigKey<Integer> EVAL_PROBLEMS = ConfigKey.withDefault("O1P_DEMO_EVAL_PROBLEMS",
            "int 1..1200", Parsers.intIn(1, 1200), "1000",
            "toy test problems evaluated per model (quick: 48; DESIGN.md §5: 300 leave ±5 points of interval)");
    public static final ConfigKey<Integer> EVAL_SAMPLES = ConfigKey.withDefault("O1P_DEMO_EVAL_SAMPLES",
            "int 1..64", Parsers.intIn(1, 64), "2", "solutions per problem of the sampled evaluation (quick: 1)");
    public static final ConfigKey<Integer> MAX_NEW_TOKENS = ConfigKey.withDefault("O1P_DEMO_MAX_NEW_TOKENS",
            "int 8..100000", Parsers.intIn(8, 100_000), "320", "token limit per solution, sampling and evaluation (quick: 256)");
    public static final ConfigKey<Double> TEMPERATURE = ConfigKey.withDefault("O1P_DEMO_TEMPERATURE", "number > 0",
            Parsers.doubleIn(1e-6, 100), "0.5", "temperature of pre-sampling and sampled evaluation (paper: 0.5)");
    public static final ConfigKey<Double> TOP_P = ConfigKey.withDefault("O1P_DEMO_TOP_P", "number (0,1]",
            Parsers.doubleIn(1e-9, 1), "0.8", "top-p of pre-sampling and sampled evaluation (paper: 0.8)");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.withDefault("O1P_DEMO_BATCH_SIZE", "int 1..4096",
            Parsers.intIn(1, 4096), "8", "training micro-batch (items)");
    public static final ConfigKey<Integer> GRAD_ACCUMULATION = ConfigKey.withDefault("O1P_DEMO_GRAD_ACCUMULATION",
            "int 1..4096", Parsers.intIn(1, 4096), "4", "micro-batches per optimizer step");
    public static final ConfigKey<Integer> GENERATION_BATCH = ConfigKey.withDefault("O1P_DEMO_GENERATION_BATCH",
            "int 1..4096", Parsers.intIn(1, 4096), "16", "sequences decoded together (sampler and evaluations)");
    public static final ConfigKey<Integer> CHECKPOINTS = ConfigKey.withDefault("O1P_DEMO_CHECKPOINTS", "int 1..1000",
            Parsers.intIn(1, 1000), "4", "O1-Pruner checkpoints per run, each judged by the eval service (quick: 2)");
    public static final ConfigKey<Integer> THREADS = ConfigKey.withDefault("O1P_DEMO_THREADS", "int 1..256",
            Parsers.intIn(1, 256), "2", "PyTorch intra-op threads of sampling, training and evaluation");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.withDefault("O1P_DEMO_PARTITIONS", "int 1..64",
            Parsers.intIn(1, 64), "2", "partitions of the prompts and samples topics");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.withDefault("O1P_DEMO_HTTP_PORT", "int 0..65535",
            Parsers.intIn(0, 65535), "9400", "port of /health, /ready and /metrics for every service of the run (0 = any)");
    public static final ConfigKey<Long> SEED = ConfigKey.withDefault("O1P_DEMO_SEED", "long",
            Parsers.longIn(Long.MIN_VALUE, Long.MAX_VALUE), "0", "seed of sampling and sampled evaluation");

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(MODEL_DIR, REPORT_DIR, WORK_DIR, QUICK, PROBLEMS, K, LAMBDA,
            LR, BASELINE_LR, EPOCHS, SAMPLES_PER_PROBLEM, EVAL_PROBLEMS, EVAL_SAMPLES, MAX_NEW_TOKENS, TEMPERATURE, TOP_P,
            BATCH_SIZE, GRAD_ACCUMULATION, GENERATION_BATCH, CHECKPOINTS, THREADS, PARTITIONS, HTTP_PORT, SEED);

    /** The quick preset: raw values for keys left at their defaults. */
    static final Map<ConfigKey<?>, String> QUICK_PRESET = quickPreset();

    private DemoConfig() {}

    private static Map<ConfigKey<?>, String> quickPreset() {
        Map<ConfigKey<?>, String> m = new LinkedHashMap<>();
        m.put(PROBLEMS, "24");
        m.put(K, "4");
        m.put(EVAL_PROBLEMS, "48");
        m.put(EVAL_SAMPLES, "1");
        m.put(MAX_NEW_TOKENS, "256");
        m.put(CHECKPOINTS, "2");
        m.put(BATCH_SIZE, "8");
        m.put(GRAD_ACCUMULATION, "2");
        return m;
    }

    /** The demo's keys (no common service keys: the demo makes its own broker and ports). */
    public static ConfigRegistry registry() {
        return new ConfigRegistry(SERVICE).register(KEYS.toArray(ConfigKey[]::new));
    }

    /**
     * Everything a run needs, resolved (the quick preset applied).
     *
     * @param modelDir reference model directory; empty to locate the shipped one
     */
    public record Settings(Optional<Path> modelDir, Path reportDir, Optional<Path> workDir, boolean quick, int problems,
                           int k, double lambda, double lr, double baselineLr, int epochs,
                           SamplesPerProblem samplesPerProblem, int evalProblems, int evalSamples, int maxNewTokens,
                           double temperature, double topP, int batchSize, int gradAccumulation, int generationBatch,
                           int checkpoints, int threads, int partitions, int httpPort, long seed) {

        /** Items per optimizer step. */
        public int stepItems() {
            return batchSize * gradAccumulation;
        }

        /** The same settings with other knobs of the method (for ablations). */
        public Settings withMethodKnobs(double newLambda, SamplesPerProblem newSpp, Path newReportDir) {
            return new Settings(modelDir, newReportDir, workDir, quick, problems, k, newLambda, lr, baselineLr, epochs,
                    newSpp, evalProblems, evalSamples, maxNewTokens, temperature, topP, batchSize, gradAccumulation,
                    generationBatch, checkpoints, threads, partitions, httpPort, seed);
        }

        /** The settings as a flat map (report and summary.json). */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quick", quick);
            m.put("problems", problems);
            m.put("k", k);
            m.put("lambda", lambda);
            m.put("lr", lr);
            m.put("baseline_lr", baselineLr);
            m.put("epochs", epochs);
            m.put("samples_per_problem", samplesPerProblem.toString());
            m.put("eval_problems", evalProblems);
            m.put("eval_samples", evalSamples);
            m.put("max_new_tokens", maxNewTokens);
            m.put("temperature", temperature);
            m.put("top_p", topP);
            m.put("batch_size", batchSize);
            m.put("grad_accumulation", gradAccumulation);
            m.put("checkpoints", checkpoints);
            m.put("threads", threads);
            m.put("seed", seed);
            return m;
        }
    }

    /**
     * Loads the settings from an environment-style map (the launcher merges its options into it).
     *
     * @throws org.o1pruner.runtime.ConfigException naming every bad key
     */
    public static Settings load(Map<String, String> env) {
        Config first = registry().load(env);
        Config c = first;
        if (first.get(QUICK)) {
            Map<String, String> withPreset = new LinkedHashMap<>(env);
            QUICK_PRESET.forEach((key, raw) -> withPreset.putIfAbsent(key.env(), raw));
            c = registry().load(withPreset);
        }
        return new Settings(c.find(MODEL_DIR), c.get(REPORT_DIR), c.find(WORK_DIR), c.get(QUICK), c.get(PROBLEMS),
                c.get(K), c.get(LAMBDA), c.get(LR), c.get(BASELINE_LR), c.get(EPOCHS), c.get(SAMPLES_PER_PROBLEM),
                c.get(EVAL_PROBLEMS), c.get(EVAL_SAMPLES), c.get(MAX_NEW_TOKENS), c.get(TEMPERATURE), c.get(TOP_P),
                c.get(BATCH_SIZE), c.get(GRAD_ACCUMULATION), c.get(GENERATION_BATCH), c.get(CHECKPOINTS),
                c.get(THREADS), c.get(PARTITIONS), c.get(HTTP_PORT), c.get(SEED));
    }
}
