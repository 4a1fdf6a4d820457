package org.o1pruner.trainer.core;

/**
 * What pair selection needs to know about one sample of a group.
 *
 * @param item the sample (any type: a record, an id, a tracked record)
 * @param index its index in the group (ties are broken by it, lowest first)
 * @param correct whether its final answer is correct
 * @param length L(y) in tokens
 * @param <T> the sample type
 */
public record Candidate<T>(T item, int index, boolean correct, int length) {}
