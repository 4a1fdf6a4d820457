package org.o1pruner.sampler;

/**
 * Which policy version the sampler samples from (continuous retraining, DESIGN.md §1).
 */
public enum FollowMode {
    /** The model it started with, for ever (a fixed reference model). */
    FIXED,
    /** Every newer checkpoint of the run, as soon as its files verify. */
    LATEST,
    /** Only checkpoints that an evaluator marked promoted on the evals topic (iterated pruning). */
    LATEST_PROMOTED
}
