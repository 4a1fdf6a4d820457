package org.o1pruner.schema;

/**
 * Identifies one group of K samples: the same problem, sampled in the same round
 * from the same policy version. The reference means L̄_ref and Ā_ref are taken
 * over exactly one group.
 *
 * @param problemId     the problem id
 * @param round         pruning round
 * @param policyVersion checkpoint version that generated the samples
 */
public record GroupKey(String problemId, int round, long policyVersion) {}
