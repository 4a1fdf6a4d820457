package org.o1pruner.sampler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.o1pruner.model.sampling.DecodeBackend;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.runtime.Parsers;
import org.o1pruner.schema.Topics;

/**
 * The sampler service's configuration: its own {@code O1P_SAMPLER_*} keys next to the common
 * ones, parsed once at start-up. Sampling defaults are the paper's pre-sampling settings.
 */
public final class SamplerConfig {
    /** The service name: metric prefix, consumer group {@code o1p-sampler}, transactional id part. */
    public static final String SERVICE = "sampler";

    public static final ConfigKey<Path> MODEL_DIR = ConfigKey.required("O1P_SAMPLER_MODEL_DIR", "path",
            Parsers::path, "Hugging Face model directory (config.json, safetensors, tokenizer) of the starting policy");
    public static final ConfigKey<Long> POLICY_VERSION = ConfigKey.withDefault("O1P_SAMPLER_POLICY_VERSION",
            "long >= 0", Parsers.longIn(0, Long.MAX_VALUE), "0", "checkpoint version of the model in O1P_SAMPLER_MODEL_DIR");
    public static final ConfigKey<FollowMode> FOLLOW = ConfigKey.withDefault("O1P_SAMPLER_FOLLOW",
            "fixed|latest|latest-promoted", Parsers.enumOf(FollowMode.class), "fixed",
            "which policy to sample from: the starting one, the newest checkpoint, or the newest promoted one");
    public static final ConfigKey<Double> TEMPERATURE = ConfigKey.withDefault("O1P_SAMPLER_TEMPERATURE",
            "number 0..100", Parsers.doubleIn(0, 100), "0.5", "sampling temperature (0 = greedy)");
    public static final ConfigKey<Double> TOP_P = ConfigKey.withDefault("O1P_SAMPLER_TOP_P", "number 0..1",
            Parsers.doubleIn(1e-9, 1), "0.8", "nucleus (top-p) mass");
    public static final ConfigKey<Integer> TOP_K = ConfigKey.withDefault("O1P_SAMPLER_TOP_K", "int >= 0",
            Parsers.intIn(0, Integer.MAX_VALUE), "0", "keep only the k likeliest tokens (0 = no limit)");
    public static final ConfigKey<Integer> MAX_NEW_TOKENS = ConfigKey.withDefault("O1P_SAMPLER_MAX_NEW_TOKENS",
            "int 1..1000000", Parsers.intIn(1, 1_000_000), "8192", "most tokens generated per solution");
    public static final ConfigKey<List<String>> STOP = ConfigKey.optional("O1P_SAMPLER_STOP", "csv",
            Parsers::csv, "stop strings, comma-separated (EOS always stops)");
    public static final ConfigKey<Long> SEED = ConfigKey.withDefault("O1P_SAMPLER_SEED", "long",
            Parsers.longIn(Long.MIN_VALUE, Long.MAX_VALUE), "0", "base random seed of sampling");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.withDefault("O1P_SAMPLER_BATCH_SIZE",
            "int 1..4096", Parsers.intIn(1, 4096), "16", "sequences per engine batch (prompts x K are flattened into these)");
    public static final ConfigKey<Integer> PROMPTS_PER_TRANSACTION = ConfigKey.withDefault(
            "O1P_SAMPLER_PROMPTS_PER_TRANSACTION", "int 1..10000", Parsers.intIn(1, 10_000), "4",
            "prompts taken per poll; all their K samples are produced in one transaction (bounds memory)");
    public static final ConfigKey<Integer> THREADS = ConfigKey.withDefault("O1P_SAMPLER_THREADS", "int 1..256",
            Parsers.intIn(1, 256), "1", "PyTorch intra-op threads of the sampling thread");
    public static final ConfigKey<String> DEVICE = ConfigKey.withDefault("O1P_SAMPLER_DEVICE", "cpu|gpu|auto",
            Parsers::nonBlank, "auto", "where the model runs (auto = the first GPU if any)");
    public static final ConfigKey<DecodeBackend> DECODE_BACKEND = ConfigKey.withDefault("O1P_SAMPLER_DECODE_BACKEND",
            "auto|java|libtorch", Parsers.enumOf(DecodeBackend.class), "auto",
            "token-by-token decoding: java (SIMD Java kernels, float32 CPU models), libtorch, or auto (java for float32 "
                    + "CPU models up to 64 M parameters when the JVM has the Vector API module)");
    public static final ConfigKey<Duration> MAX_POLL_INTERVAL = ConfigKey.withDefault("O1P_SAMPLER_MAX_POLL_INTERVAL",
            "duration", Parsers::duration, "30m", "longest generation of one poll batch before the group evicts the sampler");
    public static final ConfigKey<Long> MAX_DOWNSTREAM_LAG = ConfigKey.withDefault("O1P_SAMPLER_MAX_DOWNSTREAM_LAG",
            "long >= 0", Parsers.longIn(0, Long.MAX_VALUE), "0",
            "pause sampling while the downstream group lags this many samples behind (0 = never)");
    public static final ConfigKey<Duration> LAG_CHECK_INTERVAL = ConfigKey.withDefault("O1P_SAMPLER_LAG_CHECK_INTERVAL",
            "duration", Parsers::duration, "1s", "how often the downstream group's lag is looked up");
    public static final ConfigKey<String> DOWNSTREAM_GROUP = ConfigKey.withDefault("O1P_SAMPLER_DOWNSTREAM_GROUP",
            "string", Parsers::nonBlank, "o1p-reward", "consumer group whose lag on the samples topic applies back-pressure");
    public static final ConfigKey<String> INPUT_TOPIC = ConfigKey.withDefault("O1P_SAMPLER_INPUT_TOPIC", "topic",
            Parsers::nonBlank, Topics.PROMPTS, "topic the prompts are read from");
    public static final ConfigKey<String> OUTPUT_TOPIC = ConfigKey.withDefault("O1P_SAMPLER_OUTPUT_TOPIC", "topic",
            Parsers::nonBlank, Topics.SAMPLES, "topic the samples are written to");
    public static final ConfigKey<String> CHECKPOINT_TOPIC = ConfigKey.withDefault("O1P_SAMPLER_CHECKPOINT_TOPIC",
            "topic", Parsers::nonBlank, Topics.CHECKPOINTS, "topic of published checkpoints (followed unless fixed)");
    public static final ConfigKey<String> EVAL_TOPIC = ConfigKey.withDefault("O1P_SAMPLER_EVAL_TOPIC",
            "topic", Parsers::nonBlank, Topics.EVALS, "topic of evaluations that mark promotion (latest-promoted)");
    public static final ConfigKey<String> DEAD_LETTER_TOPIC = ConfigKey.withDefault("O1P_SAMPLER_DEAD_LETTER_TOPIC",
            "topic", Parsers::nonBlank, Topics.DEAD_LETTER, "topic rejected prompts go to");

    /** The service's own keys, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(MODEL_DIR, POLICY_VERSION, FOLLOW, TEMPERATURE, TOP_P,
            TOP_K, MAX_NEW_TOKENS, STOP, SEED, BATCH_SIZE, PROMPTS_PER_TRANSACTION, THREADS, DEVICE, DECODE_BACKEND, MAX_POLL_INTERVAL,
            MAX_DOWNSTREAM_LAG, LAG_CHECK_INTERVAL, DOWNSTREAM_GROUP, INPUT_TOPIC, OUTPUT_TOPIC, CHECKPOINT_TOPIC, EVAL_TOPIC,
            DEAD_LETTER_TOPIC);

    private final Config config;
    private final SamplingSettings sampling;

    private SamplerConfig(Config config) {
        this.config = config;
        String device = config.get(DEVICE);
        if (!List.of("cpu", "gpu", "auto").contains(device)) {
            throw new ConfigException(SERVICE, List.of(new ConfigException.Problem(DEVICE.env(), device,
                    "must be cpu, gpu or auto")));
        }
        if (config.get(MAX_POLL_INTERVAL).compareTo(Duration.ofSeconds(10)) < 0) {
            throw new ConfigException(SERVICE, List.of(new ConfigException.Problem(MAX_POLL_INTERVAL.env(),
                    config.get(MAX_POLL_INTERVAL).toString(), "must be at least 10s")));
        }
        this.sampling = new SamplingSettings(config.get(TEMPERATURE), config.get(TOP_P), config.get(TOP_K),
                config.get(MAX_NEW_TOKENS), config.find(STOP).orElse(List.of()), config.get(SEED));
    }

    /** Every key the service reads: the common ones and {@link #KEYS}. */
    public static ConfigRegistry registry() {
        ConfigRegistry r = CommonConfig.registry(SERVICE);
        KEYS.forEach(r::register);
        return r;
    }

    /**
     * Loads and validates the configuration from an environment map.
     *
     * @throws ConfigException naming every bad key
     */
    public static SamplerConfig load(Map<String, String> env) {
        return new SamplerConfig(registry().load(env));
    }

    /** Wraps an already-loaded config (it must come from {@link #registry()}). */
    public static SamplerConfig of(Config config) {
        return new SamplerConfig(config);
    }

    public Config config() {
        return config;
    }

    public SamplingSettings sampling() {
        return sampling;
    }

    public Path modelDir() {
        return config.get(MODEL_DIR);
    }

    public long policyVersion() {
        return config.get(POLICY_VERSION);
    }

    public FollowMode follow() {
        return config.get(FOLLOW);
    }

    public int batchSize() {
        return config.get(BATCH_SIZE);
    }

    public int promptsPerTransaction() {
        return config.get(PROMPTS_PER_TRANSACTION);
    }

    public int threads() {
        return config.get(THREADS);
    }

    public String device() {
        return config.get(DEVICE);
    }

    public DecodeBackend decodeBackend() {
        return config.get(DECODE_BACKEND);
    }

    public Duration maxPollInterval() {
        return config.get(MAX_POLL_INTERVAL);
    }

    /** The downstream lag that pauses sampling, or empty when back-pressure by lag is off. */
    public Optional<Long> maxDownstreamLag() {
        long lag = config.get(MAX_DOWNSTREAM_LAG);
        return lag == 0 ? Optional.empty() : Optional.of(lag);
    }

    public Duration lagCheckInterval() {
        return config.get(LAG_CHECK_INTERVAL);
    }

    public String downstreamGroup() {
        return config.get(DOWNSTREAM_GROUP);
    }

    public String runId() {
        return config.get(CommonConfig.RUN_ID);
    }

    public String inputTopic() {
        return config.get(INPUT_TOPIC);
    }

    public String outputTopic() {
        return config.get(OUTPUT_TOPIC);
    }

    public String checkpointTopic() {
        return config.get(CHECKPOINT_TOPIC);
    }

    public String evalTopic() {
        return config.get(EVAL_TOPIC);
    }

    public String deadLetterTopic() {
        return config.get(DEAD_LETTER_TOPIC);
    }
}
