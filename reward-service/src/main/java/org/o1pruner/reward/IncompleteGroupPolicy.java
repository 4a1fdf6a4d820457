package org.o1pruner.reward;

/**
 * What to do with a group that is still missing samples when its timeout expires
 * (a sampler crashed or a sample was dead-lettered upstream).
 */
public enum IncompleteGroupPolicy {
    /**
     * Score the samples that did arrive, with the reference means over the actual
     * count, and mark each scored record as coming from an incomplete group.
     */
    EMIT_FLAGGED,
    /** Send every buffered sample of the group to the dead-letter topic (reason group-timeout). */
    DEAD_LETTER
}
