package org.o1pruner.toyworld;

/**
 * Difficulty bucket of a toy problem, set by the number of hard steps (carries, borrows,
 * large products) in its left-to-right first pass. Errors concentrate on hard steps, so this
 * is also the bucket in which re-checking pays off.
 */
public enum Difficulty {
    /** No hard step: a re-check can only repeat what the first pass already got right. */
    EASY,
    /** Exactly one hard step. */
    MEDIUM,
    /** Two or more hard steps: the first pass is often wrong and a re-check usually fixes it. */
    HARD;

    /** The bucket for a number of hard steps. */
    public static Difficulty ofHardSteps(int hardSteps) {
        if (hardSteps < 0) {
            throw new IllegalArgumentException("hardSteps must be >= 0, got " + hardSteps);
        }
        return hardSteps == 0 ? EASY : hardSteps == 1 ? MEDIUM : HARD;
    }

    /** Lower-case name used in the JSON Lines files. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #tag()}. */
    public static Difficulty fromTag(String tag) {
        for (Difficulty d : values()) {
            if (d.tag().equals(tag)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown difficulty '" + tag + "', expected easy, medium or hard");
    }
}
