package org.o1pruner.schema;

/**
 * Identifies one sample: its group and its index in the group (0 ≤ index &lt; K).
 * Used to de-duplicate redelivered samples.
 *
 * @param group       the group of K samples
 * @param sampleIndex index within the group
 */
public record SampleId(GroupKey group, int sampleIndex) {}
