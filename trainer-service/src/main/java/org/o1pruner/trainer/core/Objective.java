package org.o1pruner.trainer.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The training objective, chosen by name in configuration ({@code O1P_TRAINER_OBJECTIVE}).
 *
 * <p>The length-harmonizing objectives are the paper's off-policy PPO with the clipped,
 * standardized R_LH advantage; SFT and DPO are the paper's baselines built from the same
 * scored samples.
 */
public enum Objective {
    /** DESIGN.md §2: sequence-level ratio of length-normalized log-probs, PPO clip (the default). */
    LENGTH_HARMONIZING("length-harmonizing", false),
    /** As {@link #LENGTH_HARMONIZING} with per-token ratios, clipped and token-averaged. */
    LENGTH_HARMONIZING_TOKEN("length-harmonizing-token", false),
    /** Negative log-likelihood on the two shortest correct samples of each problem. */
    SFT("sft", true),
    /** DPO: chosen = the two shortest correct samples, rejected = the longest sample. */
    DPO("dpo", true);

    private final String wireName;
    private final boolean needsWholeGroup;

    Objective(String wireName, boolean needsWholeGroup) {
        this.wireName = wireName;
        this.needsWholeGroup = needsWholeGroup;
    }

    /** The configuration and checkpoint-record name, e.g. {@code length-harmonizing}. */
    public String wireName() {
        return wireName;
    }

    /** Whether selection needs every sample of a group before anything can be trained. */
    public boolean needsWholeGroup() {
        return needsWholeGroup;
    }

    /** Whether this is one of the PPO-style length-harmonizing objectives. */
    public boolean isLengthHarmonizing() {
        return this == LENGTH_HARMONIZING || this == LENGTH_HARMONIZING_TOKEN;
    }

    /**
     * The objective with this name: the wire name or the constant name, any case, {@code _} or {@code -}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Objective fromName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Objective o : values()) {
            if (o.wireName.equals(n)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + name + "'; one of "
                + Arrays.stream(values()).map(Objective::wireName).collect(Collectors.joining(", ")));
    }
}
