package org.o1pruner.eval;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.o1pruner.eval.core.DatasetAssignment;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.PromotionPolicy;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.model.sampling.DecodeBackend;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.runtime.Parsers;

/**
 * The eval service's own keys ({@code O1P_EVAL_*}) and the typed settings they make. Cross-key
 * rules (greedy takes one sample; the instance index lies below the count) are checked in
 * {@link #settings(Config)}, which names the offending keys.
 */
public final class EvalConfig {
    /** The service name: metric prefix {@code o1p.eval.*}, transactional id part. */
    public static final String SERVICE = "eval";

    /** Greedy or sampled decoding. */
    public enum Mode { GREEDY, SAMPLE }

    /** Where the model runs. */
    public enum DeviceChoice { AUTO, CPU, GPU }

    public static final ConfigKey<List<String>> DATASETS = ConfigKey.withDefault("O1P_EVAL_DATASETS", "csv",
            Parsers::csv, "toy_test", "test sets: toy_test, or names of <O1P_EVAL_DATA_DIR>/<name>.jsonl (math_test,gsm8k_test,gaokao_test)");
    public static final ConfigKey<Path> DATA_DIR = ConfigKey.withDefault("O1P_EVAL_DATA_DIR", "path",
            Parsers::path, "data", "directory of the JSON Lines test sets");
    public static final ConfigKey<Integer> MAX_PROBLEMS = ConfigKey.withDefault("O1P_EVAL_MAX_PROBLEMS",
            "int 0..10000000", Parsers.intIn(0, 10_000_000), "0", "evaluate only the first N problems of each test set (0 = all)");
    public static final ConfigKey<Mode> DECODING = ConfigKey.withDefault("O1P_EVAL_DECODING", "greedy|sample",
            Parsers.enumOf(Mode.class), "greedy", "decoding: greedy (the paper's evaluation) or sample");
    public static final ConfigKey<Integer> SAMPLES = ConfigKey.withDefault("O1P_EVAL_SAMPLES", "int 1..1024",
            Parsers.intIn(1, 1024), "1", "solutions per problem (sample decoding only)");
    public static final ConfigKey<Double> TEMPERATURE = ConfigKey.withDefault("O1P_EVAL_TEMPERATURE", "double",
            Parsers.doubleIn(1e-6, 100), "0.5", "sampling temperature (sample decoding only)");
    public static final ConfigKey<Double> TOP_P = ConfigKey.withDefault("O1P_EVAL_TOP_P", "double (0,1]",
            Parsers.doubleIn(1e-9, 1), "0.8", "nucleus mass (sample decoding only)");
    public static final ConfigKey<Boolean> FAST_PROMPT = ConfigKey.withDefault("O1P_EVAL_FAST_PROMPT", "boolean",
            Parsers::bool, "false", "append the paper's fast-solving instruction to every problem");
    public static final ConfigKey<Integer> MAX_NEW_TOKENS = ConfigKey.withDefault("O1P_EVAL_MAX_NEW_TOKENS",
            "int 1..1000000", Parsers.intIn(1, 1_000_000), "8192", "token limit per solution (capped by the model's positions)");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.withDefault("O1P_EVAL_BATCH_SIZE", "int 1..4096",
            Parsers.intIn(1, 4096), "16", "problems decoded together");
    public static final ConfigKey<Long> SEED = ConfigKey.withDefault("O1P_EVAL_SEED", "long",
            Parsers.longIn(Long.MIN_VALUE, Long.MAX_VALUE), "0", "seed of sampled decoding (same seed for every version)");
    public static final ConfigKey<Double> ALPHA = ConfigKey.withDefault("O1P_EVAL_AES_ALPHA", "double >= 0",
            Parsers.doubleIn(0, 1e6), "1", "AES weight of the relative length saving");
    public static final ConfigKey<Double> BETA = ConfigKey.withDefault("O1P_EVAL_AES_BETA", "double >= 0",
            Parsers.doubleIn(0, 1e6), "3", "AES weight of a relative accuracy gain");
    public static final ConfigKey<Double> GAMMA = ConfigKey.withDefault("O1P_EVAL_AES_GAMMA", "double >= 0",
            Parsers.doubleIn(0, 1e6), "5", "AES weight of a relative accuracy loss");
    public static final ConfigKey<Double> PROMOTION_TOLERANCE = ConfigKey.withDefault("O1P_EVAL_PROMOTION_TOLERANCE",
            "double [0,1]", Parsers.doubleIn(0, 1), "0.01", "how far (absolute, 0.01 = 1 point) below the baseline's accuracy a promoted version may be");
    public static final ConfigKey<Integer> INSTANCE_INDEX = ConfigKey.withDefault("O1P_EVAL_INSTANCE_INDEX",
            "int 0..9999", Parsers.intIn(0, 9999), "0", "this evaluator's index among O1P_EVAL_INSTANCE_COUNT (splits the test sets)");
    public static final ConfigKey<Integer> INSTANCE_COUNT = ConfigKey.withDefault("O1P_EVAL_INSTANCE_COUNT",
            "int 1..10000", Parsers.intIn(1, 10_000), "1", "number of evaluators sharing the test sets");
    public static final ConfigKey<Path> BASELINE_DIR = ConfigKey.optional("O1P_EVAL_BASELINE_DIR", "path",
            Parsers::path, "reference model directory, evaluated as version 0 when the checkpoints topic has no version 0");
    public static final ConfigKey<DeviceChoice> DEVICE = ConfigKey.withDefault("O1P_EVAL_DEVICE", "auto|cpu|gpu",
            Parsers.enumOf(DeviceChoice.class), "auto", "where models run (auto: the first GPU if any)");
    public static final ConfigKey<DecodeBackend> DECODE_BACKEND = ConfigKey.withDefault("O1P_EVAL_DECODE_BACKEND",
            "auto|java|libtorch", Parsers.enumOf(DecodeBackend.class), "auto",
            "token-by-token decoding: java (SIMD Java kernels, float32 CPU models), libtorch, or auto (java for float32 "
                    + "CPU models up to 64 M parameters when the JVM has the Vector API module)");
    public static final ConfigKey<Duration> MAX_POLL_INTERVAL = ConfigKey.withDefault("O1P_EVAL_MAX_POLL_INTERVAL",
            "duration", Parsers::duration, "6h", "longest evaluation of one checkpoint before the group evicts this evaluator");

    /** Every eval key, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(DATASETS, DATA_DIR, MAX_PROBLEMS, DECODING, SAMPLES,
            TEMPERATURE, TOP_P, FAST_PROMPT, MAX_NEW_TOKENS, BATCH_SIZE, SEED, ALPHA, BETA, GAMMA, PROMOTION_TOLERANCE,
            INSTANCE_INDEX, INSTANCE_COUNT, BASELINE_DIR, DEVICE, DECODE_BACKEND, MAX_POLL_INTERVAL);

    private EvalConfig() {}

    /** The common keys plus the eval keys. */
    public static ConfigRegistry registry() {
        return CommonConfig.registry(SERVICE).register(KEYS.toArray(ConfigKey[]::new));
    }

    /**
     * Typed, cross-checked settings.
     *
     * @param datasets     the test sets this instance owns (after the split between instances)
     * @param allDatasets  every configured test set
     * @param decoding     how solutions are drawn (its label names the records)
     */
    public record Settings(List<String> datasets, List<String> allDatasets, Path dataDir, int maxProblems,
                           Decoding decoding, int maxNewTokens, int batchSize, long seed, AesWeights weights,
                           PromotionPolicy promotion, int instanceIndex, int instanceCount, Optional<Path> baselineDir,
                           DeviceChoice device, DecodeBackend decodeBackend, Duration maxPollInterval) {

        /** {@code O1P_CONSUMER_GROUP} or {@code o1p-eval-<index>}: each evaluator reads every checkpoint. */
        public String consumerGroup(Config config) {
            return config.find(CommonConfig.CONSUMER_GROUP).orElse("o1p-" + SERVICE + "-" + instanceIndex);
        }

        /** {@code <prefix>-eval-<index>}: a restarted evaluator fences its predecessor of the same index. */
        public String transactionalId(Config config) {
            return config.get(CommonConfig.TRANSACTIONAL_ID_PREFIX) + "-" + SERVICE + "-" + instanceIndex;
        }

        /** The options of the {@link Evaluator}. */
        public Evaluator.Options evaluatorOptions() {
            return new Evaluator.Options(decoding, maxNewTokens, batchSize, seed, null);
        }
    }

    /**
     * @throws ConfigException naming every key that breaks a cross-key rule
     */
    public static Settings settings(Config c) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        int index = c.get(INSTANCE_INDEX);
        int count = c.get(INSTANCE_COUNT);
        if (index >= count) {
            problems.add(new ConfigException.Problem(INSTANCE_INDEX.env(), Integer.toString(index),
                    "must be below O1P_EVAL_INSTANCE_COUNT (" + count + ")"));
        }
        Mode mode = c.get(DECODING);
        int samples = c.get(SAMPLES);
        if (mode == Mode.GREEDY && samples != 1) {
            problems.add(new ConfigException.Problem(SAMPLES.env(), Integer.toString(samples),
                    "greedy decoding is deterministic: use 1, or set O1P_EVAL_DECODING=sample"));
        }
        if (c.get(MAX_POLL_INTERVAL).compareTo(Duration.ofSeconds(10)) < 0) {
            problems.add(new ConfigException.Problem(MAX_POLL_INTERVAL.env(), c.get(MAX_POLL_INTERVAL).toString(),
                    "must be at least 10s"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(SERVICE, problems);
        }
        Decoding decoding = (mode == Mode.GREEDY ? Decoding.greedy()
                : Decoding.sampled(samples, c.get(TEMPERATURE), c.get(TOP_P))).withFastPrompt(c.get(FAST_PROMPT));
        List<String> all = c.get(DATASETS);
        return new Settings(DatasetAssignment.owned(all, index, count), all, c.get(DATA_DIR), c.get(MAX_PROBLEMS),
                decoding, c.get(MAX_NEW_TOKENS), c.get(BATCH_SIZE), c.get(SEED),
                new AesWeights(c.get(ALPHA), c.get(BETA), c.get(GAMMA)), new PromotionPolicy(c.get(PROMOTION_TOLERANCE)),
                index, count, c.find(BASELINE_DIR), c.get(DEVICE), c.get(DECODE_BACKEND),
                c.get(MAX_POLL_INTERVAL));
    }
}
