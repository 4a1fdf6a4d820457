package org.o1pruner.toyworld;

import java.util.List;
import java.util.Objects;

/**
 * One arithmetic-chain problem of the toy world, in the shape of the project's data sets
 * ({@code id}, {@code problem}, {@code answer}, {@code dataset}) plus its difficulty.
 *
 * @param id        stable id, e.g. {@code toy_train-00042}
 * @param dataset   {@code toy_train} or {@code toy_test}
 * @param terms     the chain's signed terms, left to right
 * @param hardSteps number of hard steps (carries, borrows, hard products) of the first pass
 */
public record ToyProblem(String id, String dataset, List<Term> terms, int hardSteps) {

    public ToyProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataset, "dataset");
        terms = List.copyOf(terms);
        if (terms.size() < 2) {
            throw new IllegalArgumentException("a chain needs at least two terms, got " + terms);
        }
        if (terms.get(0).minus()) {
            throw new IllegalArgumentException("the first term of a chain is positive: " + terms);
        }
        for (int i = 1; i < terms.size(); i++) {
            if (terms.get(i).isProduct()) {
                throw new IllegalArgumentException("only the first term may be a product: " + terms);
            }
        }
        if (Arithmetic.minPrefix(terms) < 0) {
            throw new IllegalArgumentException("running values of a chain stay non-negative: " + terms);
        }
        if (hardSteps != Arithmetic.hardSteps(terms)) {
            throw new IllegalArgumentException("hardSteps " + hardSteps + " does not match the chain "
                    + Arithmetic.expression(terms) + " (" + Arithmetic.hardSteps(terms) + ")");
        }
    }

    /** Builds a problem, computing its hard steps. */
    public static ToyProblem of(String id, String dataset, List<Term> terms) {
        return new ToyProblem(id, dataset, terms, Arithmetic.hardSteps(terms));
    }

    /** The chain as written, e.g. {@code 47+38-19+6}. */
    public String problem() {
        return Arithmetic.expression(terms);
    }

    /** The exact answer. */
    public long answerValue() {
        return Arithmetic.value(terms);
    }

    /** The exact answer as the data sets write it. */
    public String answer() {
        return Long.toString(answerValue());
    }

    /** The difficulty bucket. */
    public Difficulty difficulty() {
        return Difficulty.ofHardSteps(hardSteps);
    }
}
