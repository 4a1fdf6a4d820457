package org.o1pruner.trainer.core;

import java.util.List;

/**
 * One unit of training: a single sample (length-harmonizing PPO, SFT) or a preference pair (DPO).
 * An item is trained in exactly one optimizer step; its {@link #sources()} are the offsets it
 * releases once that step is done.
 */
public sealed interface TrainItem permits TrainItem.Single, TrainItem.Pair {

    /** The scored records this item consumes. */
    List<Tracked> sources();

    /** Response tokens in the item (for throughput accounting). */
    default int responseTokens() {
        int n = 0;
        for (Tracked t : sources()) {
            n += t.record().sample().responseTokenIds().length;
        }
        return n;
    }

    /** One sample. */
    record Single(Tracked sample) implements TrainItem {
        @Override
        public List<Tracked> sources() {
            return List.of(sample);
        }
    }

    /** A DPO pair. */
    record Pair(Tracked chosen, Tracked rejected) implements TrainItem {
        @Override
        public List<Tracked> sources() {
            return List.of(chosen, rejected);
        }
    }
}
