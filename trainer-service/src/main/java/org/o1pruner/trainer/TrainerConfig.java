package org.o1pruner.trainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.runtime.Parsers;
import org.o1pruner.trainer.core.Objective;
import org.o1pruner.trainer.core.ReferenceSource;
import org.o1pruner.trainer.core.SamplesPerProblem;

/**
 * The trainer's configuration keys ({@code O1P_TRAINER_*}, plus {@link CommonConfig#KEYS}) and
 * their parsed, validated form {@link Settings}. Defaults follow the paper's official
 * implementation (DESIGN.md §2) except the learning rate, which suits the toy model.
 */
public final class TrainerConfig {
    public static final String SERVICE = "trainer";

    public static final ConfigKey<Objective> OBJECTIVE = ConfigKey.withDefault("O1P_TRAINER_OBJECTIVE",
            "length-harmonizing|length-harmonizing-token|sft|dpo", Objective::fromName, "length-harmonizing",
            "training objective");
    public static final ConfigKey<Path> MODEL_DIR = ConfigKey.required("O1P_TRAINER_MODEL_DIR", "path",
            Parsers::path, "Hugging Face directory of the policy to start from (used when no checkpoint exists)");
    public static final ConfigKey<Path> REFERENCE_DIR = ConfigKey.optional("O1P_TRAINER_REFERENCE_DIR", "path",
            Parsers::path, "reference model directory for the frozen copy (default: O1P_TRAINER_MODEL_DIR)");
    public static final ConfigKey<ReferenceSource> REFERENCE_SOURCE = ConfigKey.withDefault(
            "O1P_TRAINER_REFERENCE_SOURCE", "recorded|frozen", ReferenceSource::fromName, "recorded",
            "reference log-probs: the sampler's recorded ones or a frozen reference copy");
    public static final ConfigKey<Integer> REFERENCE_CHECK_BATCHES = ConfigKey.withDefault(
            "O1P_TRAINER_REFERENCE_CHECK_BATCHES", "int 0..100000", Parsers.intIn(0, 100_000), "2",
            "first steps on which recorded and frozen reference log-probs are compared (drift metric)");
    public static final ConfigKey<Path> CHECKPOINT_DIR = ConfigKey.withDefault("O1P_TRAINER_CHECKPOINT_DIR", "path",
            Parsers::path, "checkpoints", "directory of the run's checkpoints (one sub-directory per version)");
    public static final ConfigKey<Integer> CHECKPOINT_EVERY = ConfigKey.withDefault("O1P_TRAINER_CHECKPOINT_EVERY",
            "int 1..10000000", Parsers.intIn(1, 10_000_000), "50", "optimizer steps between checkpoints");
    public static final ConfigKey<Integer> KEEP_CHECKPOINTS = ConfigKey.withDefault("O1P_TRAINER_KEEP_CHECKPOINTS",
            "int 0..1000000", Parsers.intIn(0, 1_000_000), "0", "newest checkpoints kept on disk (0 = all)");
    public static final ConfigKey<Long> BASE_VERSION = ConfigKey.withDefault("O1P_TRAINER_BASE_VERSION",
            "long >= 0", Parsers.longIn(0, Long.MAX_VALUE / 2), "0",
            "policy version of O1P_TRAINER_MODEL_DIR; the first checkpoint is this + 1");
    public static final ConfigKey<Double> LR = ConfigKey.withDefault("O1P_TRAINER_LR", "double > 0",
            Parsers.doubleIn(1e-12, 10), "1e-5", "peak learning rate (paper: 2e-7 for 7B full fine-tuning)");
    public static final ConfigKey<Double> WARMUP_FRACTION = ConfigKey.withDefault("O1P_TRAINER_WARMUP_FRACTION",
            "double 0..1", Parsers.doubleIn(0, 1), "0.1", "fraction of total steps spent in linear warm-up");
    public static final ConfigKey<Long> TOTAL_STEPS = ConfigKey.withDefault("O1P_TRAINER_TOTAL_STEPS",
            "long >= 1", Parsers.longIn(1, Long.MAX_VALUE / 2), "1000",
            "length of the cosine schedule in optimizer steps (e.g. one epoch)");
    public static final ConfigKey<Long> MAX_STEPS = ConfigKey.withDefault("O1P_TRAINER_MAX_STEPS",
            "long >= 0", Parsers.longIn(0, Long.MAX_VALUE / 2), "0",
            "stop (with a final checkpoint) after this many optimizer steps in total; 0 = run until stopped");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.withDefault("O1P_TRAINER_BATCH_SIZE",
            "int 1..65536", Parsers.intIn(1, 65_536), "8", "items (samples or DPO pairs) per micro-batch");
    public static final ConfigKey<Integer> GRAD_ACCUMULATION = ConfigKey.withDefault(
            "O1P_TRAINER_GRAD_ACCUMULATION", "int 1..65536", Parsers.intIn(1, 65_536), "4",
            "micro-batches per optimizer step");
    public static final ConfigKey<Double> GRAD_CLIP = ConfigKey.withDefault("O1P_TRAINER_GRAD_CLIP", "double > 0",
            Parsers.doubleIn(1e-12, 1e12), "10", "global gradient-norm bound");
    public static final ConfigKey<Double> WEIGHT_DECAY = ConfigKey.withDefault("O1P_TRAINER_WEIGHT_DECAY",
            "double >= 0", Parsers.doubleIn(0, 10), "0.01", "AdamW decoupled weight decay");
    public static final ConfigKey<Double> PPO_EPSILON = ConfigKey.withDefault("O1P_TRAINER_PPO_EPSILON",
            "double 0..1", Parsers.doubleIn(1e-6, 0.999), "0.2", "PPO clip range epsilon");
    public static final ConfigKey<Double> DPO_BETA = ConfigKey.withDefault("O1P_TRAINER_DPO_BETA", "double > 0",
            Parsers.doubleIn(1e-9, 1e6), "0.1", "DPO beta");
    public static final ConfigKey<Double> ADVANTAGE_CLIP_LOW = ConfigKey.withDefault(
            "O1P_TRAINER_ADVANTAGE_CLIP_LOW", "double", Parsers.doubleIn(-1e6, 1e6), "-2",
            "lower clip of the raw reward before standardization");
    public static final ConfigKey<Double> ADVANTAGE_CLIP_HIGH = ConfigKey.withDefault(
            "O1P_TRAINER_ADVANTAGE_CLIP_HIGH", "double", Parsers.doubleIn(-1e6, 1e6), "4",
            "upper clip of the raw reward before standardization");
    public static final ConfigKey<SamplesPerProblem> SAMPLES_PER_PROBLEM = ConfigKey.withDefault(
            "O1P_TRAINER_SAMPLES_PER_PROBLEM", "int >= 1|all", SamplesPerProblem::parse, "2",
            "samples of each problem the length-harmonizing objective trains on (paper: 2)");
    public static final ConfigKey<Integer> TRAINABLE_LAYERS = ConfigKey.withDefault("O1P_TRAINER_TRAINABLE_LAYERS",
            "int >= 0", Parsers.intIn(0, 100_000), "0",
            "freeze-tuning: train only the last N decoder layers (0 = train everything)");
    public static final ConfigKey<Duration> MAX_BATCH_WAIT = ConfigKey.withDefault("O1P_TRAINER_MAX_BATCH_WAIT",
            "duration", Parsers::duration, "30s", "train a partial step when items waited this long with no new input");
    public static final ConfigKey<Integer> THREADS = ConfigKey.withDefault("O1P_TRAINER_THREADS", "int 1..256",
            Parsers.intIn(1, 256), "2", "PyTorch intra-op threads for training");
    public static final ConfigKey<Integer> PARALLEL_MICRO_BATCHES = ConfigKey.withDefault(
            "O1P_TRAINER_PARALLEL_MICRO_BATCHES", "int 1..64", Parsers.intIn(1, 64), "1",
            "micro-batches of a step trained at once on their own threads (CPU: one per core with "
                    + "O1P_TRAINER_THREADS=1 is ~1.3x faster; the summed gradient's last bits then vary run to run)");
    public static final ConfigKey<Boolean> FUSED_BACKWARD = ConfigKey.withDefault("O1P_TRAINER_FUSED_BACKWARD",
            "boolean", Parsers::bool, "true",
            "float32 CPU models train with the hand-written fused backward (same gradients, ~10% faster); "
                    + "false records every operation for autograd");

    /** The trainer's own keys, in documentation order. */
    public static final List<ConfigKey<?>> OWN_KEYS = List.of(OBJECTIVE, MODEL_DIR, REFERENCE_DIR, REFERENCE_SOURCE,
            REFERENCE_CHECK_BATCHES, CHECKPOINT_DIR, CHECKPOINT_EVERY, KEEP_CHECKPOINTS, BASE_VERSION, LR,
            WARMUP_FRACTION, TOTAL_STEPS, MAX_STEPS, BATCH_SIZE, GRAD_ACCUMULATION, GRAD_CLIP, WEIGHT_DECAY,
            PPO_EPSILON, DPO_BETA, ADVANTAGE_CLIP_LOW, ADVANTAGE_CLIP_HIGH, SAMPLES_PER_PROBLEM, TRAINABLE_LAYERS,
            MAX_BATCH_WAIT, THREADS, PARALLEL_MICRO_BATCHES, FUSED_BACKWARD);

    private TrainerConfig() {}

    /** The common keys and the trainer's. */
    public static ConfigRegistry registry() {
        List<ConfigKey<?>> all = new ArrayList<>(CommonConfig.KEYS);
        all.addAll(OWN_KEYS);
        return ConfigRegistry.of(SERVICE, all);
    }

    /**
     * The trainer's settings, parsed once at start-up.
     *
     * @param runId run id (checkpoint record key, metric tag)
     * @param bootstrapServers Kafka bootstrap servers
     * @param consumerGroup group id used to report the trained-through offsets (for lag dashboards)
     * @param pollTimeout longest wait of one poll
     * @param maxPollRecords records per poll
     */
    public record Settings(String runId, String bootstrapServers, String consumerGroup, Duration pollTimeout,
            int maxPollRecords, Objective objective, Path modelDir, Path referenceDir, ReferenceSource referenceSource,
            int referenceCheckBatches, Path checkpointDir, int checkpointEvery, int keepCheckpoints, long baseVersion,
            double lr, double warmupFraction, long totalSteps, long maxSteps, int batchSize, int gradAccumulation,
            double gradClip, double weightDecay, double ppoEpsilon, double dpoBeta, double advantageClipLow,
            double advantageClipHigh, SamplesPerProblem samplesPerProblem, int trainableLayers, Duration maxBatchWait,
            int threads, int parallelMicroBatches, boolean fusedBackward) {

        /** @throws IllegalArgumentException when values contradict each other */
        public Settings {
            if (!(advantageClipLow < advantageClipHigh)) {
                throw new IllegalArgumentException(ADVANTAGE_CLIP_LOW.env() + " must be below "
                        + ADVANTAGE_CLIP_HIGH.env() + ": " + advantageClipLow + " >= " + advantageClipHigh);
            }
        }

        /** Reads every setting from a loaded configuration. */
        public static Settings from(Config c) {
            Path model = c.get(MODEL_DIR);
            return new Settings(c.get(CommonConfig.RUN_ID), CommonConfig.bootstrapServers(c),
                    CommonConfig.consumerGroup(c), c.get(CommonConfig.POLL_TIMEOUT), c.get(CommonConfig.MAX_POLL_RECORDS),
                    c.get(OBJECTIVE), model, c.find(REFERENCE_DIR).orElse(model), c.get(REFERENCE_SOURCE),
                    c.get(REFERENCE_CHECK_BATCHES), c.get(CHECKPOINT_DIR), c.get(CHECKPOINT_EVERY),
                    c.get(KEEP_CHECKPOINTS), c.get(BASE_VERSION), c.get(LR), c.get(WARMUP_FRACTION),
                    c.get(TOTAL_STEPS), c.get(MAX_STEPS), c.get(BATCH_SIZE), c.get(GRAD_ACCUMULATION),
                    c.get(GRAD_CLIP), c.get(WEIGHT_DECAY), c.get(PPO_EPSILON), c.get(DPO_BETA),
                    c.get(ADVANTAGE_CLIP_LOW), c.get(ADVANTAGE_CLIP_HIGH), c.get(SAMPLES_PER_PROBLEM),
                    c.get(TRAINABLE_LAYERS), c.get(MAX_BATCH_WAIT), c.get(THREADS), c.get(PARALLEL_MICRO_BATCHES),
                    c.get(FUSED_BACKWARD));
        }

        /** The settings that shape training, for the checkpoint's record of how it was made. */
        public java.util.Map<String, String> describe() {
            java.util.Map<String, String> m = new java.util.TreeMap<>();
            m.put("objective", objective.wireName());
            m.put("reference_source", referenceSource.name().toLowerCase(java.util.Locale.ROOT));
            m.put("lr", Double.toString(lr));
            m.put("warmup_fraction", Double.toString(warmupFraction));
            m.put("total_steps", Long.toString(totalSteps));
            m.put("batch_size", Integer.toString(batchSize));
            m.put("grad_accumulation", Integer.toString(gradAccumulation));
            m.put("grad_clip", Double.toString(gradClip));
            m.put("weight_decay", Double.toString(weightDecay));
            m.put("ppo_epsilon", Double.toString(ppoEpsilon));
            m.put("dpo_beta", Double.toString(dpoBeta));
            m.put("advantage_clip", "[" + advantageClipLow + ", " + advantageClipHigh + "]");
            m.put("samples_per_problem", samplesPerProblem.toString());
            m.put("trainable_layers", Integer.toString(trainableLayers));
            m.put("model_dir", modelDir.toString());
            m.put("reference_dir", referenceDir.toString());
            return m;
        }
    }
}
