package org.o1pruner.reward;

import java.time.Duration;
import java.util.List;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.runtime.CommonConfig;
import org.o1pruner.runtime.Config;
import org.o1pruner.runtime.ConfigException;
import org.o1pruner.runtime.ConfigKey;
import org.o1pruner.runtime.ConfigRegistry;
import org.o1pruner.runtime.Parsers;
import org.o1pruner.schema.Topics;

/**
 * The reward service's configuration: its own {@code O1P_REWARD_*} keys next to the common
 * ones, parsed once at start-up into typed values. Cross-key rules (clip low ≤ high) are
 * checked here too, so a bad combination stops start-up naming the keys.
 */
public final class RewardConfig {
    /** The service name: metric tag, consumer group {@code o1p-reward}, transactional id part. */
    public static final String SERVICE = "reward";

    public static final ConfigKey<Double> LAMBDA = ConfigKey.withDefault("O1P_REWARD_LAMBDA", "number 0..1000",
            Parsers.doubleIn(0, 1000), "2", "accuracy weight λ of the length-harmonizing reward");
    public static final ConfigKey<Double> CLIP_LOW = ConfigKey.withDefault("O1P_REWARD_CLIP_LOW", "number",
            Parsers.doubleIn(-1e6, 1e6), "-2", "lower clip bound of the reward (metrics; the trainer clips too)");
    public static final ConfigKey<Double> CLIP_HIGH = ConfigKey.withDefault("O1P_REWARD_CLIP_HIGH", "number",
            Parsers.doubleIn(-1e6, 1e6), "4", "upper clip bound of the reward (metrics; the trainer clips too)");
    public static final ConfigKey<Duration> GROUP_TIMEOUT = ConfigKey.withDefault("O1P_REWARD_GROUP_TIMEOUT",
            "duration", Parsers::duration, "10m", "how long a group may wait for its K samples after the first arrived");
    public static final ConfigKey<IncompleteGroupPolicy> INCOMPLETE_POLICY = ConfigKey.withDefault(
            "O1P_REWARD_INCOMPLETE_POLICY", "emit-flagged|dead-letter", Parsers.enumOf(IncompleteGroupPolicy.class),
            "emit-flagged", "what to do with a group still incomplete at its timeout");
    public static final ConfigKey<Integer> REMEMBER_COMPLETED = ConfigKey.withDefault(
            "O1P_REWARD_REMEMBER_COMPLETED", "int 0..10000000", Parsers.intIn(0, 10_000_000), "100000",
            "completed groups remembered per partition to drop late duplicates (0 = none)");
    public static final ConfigKey<String> INPUT_TOPIC = ConfigKey.withDefault("O1P_REWARD_INPUT_TOPIC", "topic",
            Parsers::nonBlank, Topics.SAMPLES, "topic the samples are read from");
    public static final ConfigKey<String> OUTPUT_TOPIC = ConfigKey.withDefault("O1P_REWARD_OUTPUT_TOPIC", "topic",
            Parsers::nonBlank, Topics.SCORED, "topic the scored samples are written to");
    public static final ConfigKey<String> CHANGELOG_TOPIC = ConfigKey.withDefault("O1P_REWARD_CHANGELOG_TOPIC",
            "topic", Parsers::nonBlank, RewardTopics.CHANGELOG,
            "compacted changelog of open groups, co-partitioned with the input (created if missing)");
    public static final ConfigKey<String> DEAD_LETTER_TOPIC = ConfigKey.withDefault("O1P_REWARD_DEAD_LETTER_TOPIC",
            "topic", Parsers::nonBlank, Topics.DEAD_LETTER, "topic rejected records go to");

    /** The service's own keys, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(LAMBDA, CLIP_LOW, CLIP_HIGH, GROUP_TIMEOUT,
            INCOMPLETE_POLICY, REMEMBER_COMPLETED, INPUT_TOPIC, OUTPUT_TOPIC, CHANGELOG_TOPIC, DEAD_LETTER_TOPIC);

    private final Config config;
    private final LengthHarmonizingReward reward;

    private RewardConfig(Config config) {
        this.config = config;
        double low = config.get(CLIP_LOW);
        double high = config.get(CLIP_HIGH);
        if (low > high) {
            throw new ConfigException(SERVICE, List.of(new ConfigException.Problem(CLIP_LOW.env() + "/" + CLIP_HIGH.env(),
                    low + " > " + high, "the lower clip bound must not exceed the upper one")));
        }
        if (config.get(GROUP_TIMEOUT).isZero()) {
            throw new ConfigException(SERVICE, List.of(new ConfigException.Problem(GROUP_TIMEOUT.env(), "0",
                    "the group timeout must be positive")));
        }
        this.reward = new LengthHarmonizingReward(config.get(LAMBDA), low, high);
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
    public static RewardConfig load(java.util.Map<String, String> env) {
        return new RewardConfig(registry().load(env));
    }

    /** Wraps an already-loaded config (it must come from {@link #registry()}). */
    public static RewardConfig of(Config config) {
        return new RewardConfig(config);
    }

    /** The underlying typed config (common keys too). */
    public Config config() {
        return config;
    }

    public LengthHarmonizingReward reward() {
        return reward;
    }

    public Duration groupTimeout() {
        return config.get(GROUP_TIMEOUT);
    }

    public IncompleteGroupPolicy incompletePolicy() {
        return config.get(INCOMPLETE_POLICY);
    }

    public int rememberCompleted() {
        return config.get(REMEMBER_COMPLETED);
    }

    public String inputTopic() {
        return config.get(INPUT_TOPIC);
    }

    public String outputTopic() {
        return config.get(OUTPUT_TOPIC);
    }

    public String changelogTopic() {
        return config.get(CHANGELOG_TOPIC);
    }

    public String deadLetterTopic() {
        return config.get(DEAD_LETTER_TOPIC);
    }
}
