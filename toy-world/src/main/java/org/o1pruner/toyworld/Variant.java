package org.o1pruner.toyworld;

/**
 * Which instruction a trace answers: the default long-thought style with re-checks, or the
 * paper's fast-solving prompt, whose traces stop after the first pass.
 */
public enum Variant {
    /** First pass, then zero or more re-checks by another route. */
    LONG,
    /** First pass only ("Be confident. Solving this problem quickly …"). */
    FAST
}
