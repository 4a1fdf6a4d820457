package org.o1pruner.toyworld;

/**
 * The toy world's data splits: each has a fixed seed and size so that the shipped JSON Lines
 * files can be regenerated bit for bit.
 */
public enum Split {
    /** Training problems (pre-sampling and SFT). */
    TRAIN("toy_train", 20_260_125L, 6_000),
    /** Held-out evaluation problems, disjoint from the training split. */
    TEST("toy_test", 20_260_126L, 1_200);

    private final String dataset;
    private final long seed;
    private final int size;

    Split(String dataset, long seed, int size) {
        this.dataset = dataset;
        this.seed = seed;
        this.size = size;
    }

    /** The {@code dataset} field of its records, also the resource file's base name. */
    public String dataset() {
        return dataset;
    }

    /** The generator seed. */
    public long seed() {
        return seed;
    }

    /** Number of problems. */
    public int size() {
        return size;
    }
}
