package org.o1pruner.grading;

/** Counts the operations one decision spends against its {@link GradingBudget}. Not thread-safe: one per decision. */
final class Meter {
    private final GradingBudget budget;
    private long spent;

    Meter(GradingBudget budget) {
        this.budget = budget;
    }

    GradingBudget budget() {
        return budget;
    }

    void tick(long ops) {
        spent += ops;
        if (spent > budget.maxOperations()) {
            throw new GradingLimitException("operation budget of " + budget.maxOperations() + " exhausted");
        }
    }

    void tick() {
        tick(1);
    }
}
