package org.o1pruner.trainer.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Groups training items into optimizer steps: {@code accumulation} micro-batches of
 * {@code microBatchSize} items each, first in, first out. A partial step is released only when
 * asked to flush (the input went quiet), so that steady-state steps all have the configured size.
 */
public final class StepBatcher {
    private final int microBatchSize;
    private final int accumulation;
    private final ArrayDeque<TrainItem> queue = new ArrayDeque<>();

    /** @throws IllegalArgumentException unless both are ≥ 1 */
    public StepBatcher(int microBatchSize, int accumulation) {
        if (microBatchSize < 1 || accumulation < 1) {
            throw new IllegalArgumentException("micro-batch size and accumulation must be >= 1, got "
                    + microBatchSize + ", " + accumulation);
        }
        this.microBatchSize = microBatchSize;
        this.accumulation = accumulation;
    }

    /** Queues items. */
    public void addAll(Collection<TrainItem> items) {
        queue.addAll(items);
    }

    /** Items waiting. */
    public int size() {
        return queue.size();
    }

    /** Items in one full step. */
    public int stepSize() {
        return microBatchSize * accumulation;
    }

    /**
     * The next step's micro-batches: a full step when enough items wait; with {@code flush}, whatever
     * waits (up to a full step); otherwise nothing.
     */
    public Optional<List<List<TrainItem>>> next(boolean flush) {
        if (queue.isEmpty() || (!flush && queue.size() < stepSize())) {
            return Optional.empty();
        }
        int take = Math.min(queue.size(), stepSize());
        List<List<TrainItem>> micro = new ArrayList<>();
        List<TrainItem> current = new ArrayList<>();
        for (int i = 0; i < take; i++) {
            current.add(queue.poll());
            if (current.size() == microBatchSize) {
                micro.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            micro.add(current);
        }
        return Optional.of(micro);
    }
}
