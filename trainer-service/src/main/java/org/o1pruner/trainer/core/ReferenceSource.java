package org.o1pruner.trainer.core;

import java.util.Locale;

/**
 * Where the reference policy's log-probs come from: the per-token log-probs the sampler recorded
 * while generating (no extra forward pass), or a frozen copy of the reference model in the trainer.
 */
public enum ReferenceSource {
    /** The sampler's recorded log-probs (the sampler is π_ref). */
    RECORDED,
    /** A forward pass of a frozen reference copy held by the trainer. */
    FROZEN;

    /** By name, any case. */
    public static ReferenceSource fromName(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "recorded" -> RECORDED;
            case "frozen" -> FROZEN;
            default -> throw new IllegalArgumentException("reference source must be recorded or frozen, got '" + name + "'");
        };
    }
}
