package org.o1pruner.model.train;

/** A learning rate as a function of the number of optimizer steps already taken. */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate for the update that follows {@code completedSteps} earlier updates.
     *
     * @param completedSteps optimizer steps taken so far, {@code >= 0}
     */
    double lr(long completedSteps);

    /** A constant learning rate. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }
}
