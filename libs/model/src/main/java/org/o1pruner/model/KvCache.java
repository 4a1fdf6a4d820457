package org.o1pruner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated key/value cache for incremental decoding: per layer, keys and values of shape
 * {@code [B, H_kv, Tmax, D]}, written in place as tokens arrive.
 *
 * <p>Preallocating once and writing with {@code set} costs one native call per layer and step
 * instead of a growing concatenation. {@link #keepRows(int[])} shrinks the batch when sequences
 * finish so they stop costing work. Not thread-safe; owned by one decoding loop.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int maxLength;
    private int batch;
    private int length;

    KvCache(ModelConfig config, int batch, int maxLength, NDManager parent, DataType dtype) {
        if (batch <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("cache batch and maxLength must be positive");
        }
        this.manager = parent.newSubManager();
        this.maxLength = maxLength;
        this.batch = batch;
        int layers = config.numLayers();
        keys = new NDArray[layers];
        values = new NDArray[layers];
        Shape shape = new Shape(batch, config.numKvHeads(), maxLength, config.headDim());
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape, dtype);
            values[l] = manager.zeros(shape, dtype);
        }
    }

    /** Number of positions already cached (the same for every row). */
    public int length() {
        return length;
    }

    /** Current number of rows. */
    public int batch() {
        return batch;
    }

    /** Capacity in positions. */
    public int maxLength() {
        return maxLength;
    }

    /** Positions still free. */
    public int remaining() {
        return maxLength - length;
    }

    /**
     * Keeps only the given rows, in the given order; the attention mask the caller passes to the
     * next forward must be selected the same way.
     *
     * @param rows indices of the rows to keep, each in {@code [0, batch)}
     */
    public void keepRows(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("keepRows needs at least one row");
        }
        boolean identity = rows.length == batch;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= batch) {
                throw new IndexOutOfBoundsException("row " + rows[i] + " of batch " + batch);
            }
            identity &= rows[i] == i;
        }
        if (identity) {
            return;
        }
        try (NDArray index = manager.create(rows)) {
            for (int l = 0; l < keys.length; l++) {
                keys[l] = select(keys[l], index);
                values[l] = select(values[l], index);
            }
        }
        batch = rows.length;
    }

    private NDArray select(NDArray old, NDArray index) {
        NDArray kept = old.get(index);
        kept.attach(manager);
        old.close();
        return kept;
    }

    /** Forgets all cached positions (capacity and rows are kept). */
    public void clear() {
        length = 0;
    }

    NDArray keys(int layer) {
        return keys[layer];
    }

    NDArray values(int layer) {
        return values[layer];
    }

    void write(int layer, NDIndex at, NDArray k, NDArray v) {
        keys[layer].set(at, k);
        values[layer].set(at, v);
    }

    void advance(int tokens) {
        length += tokens;
    }

    void checkFits(int batchSize, int newTokens) {
        if (batchSize != batch) {
            throw new IllegalArgumentException("input batch " + batchSize + " != cache batch "
                    + batch + " (call keepRows first)");
        }
        if (length + newTokens > maxLength) {
            throw new IllegalStateException("KV cache full: " + length + " + " + newTokens
                    + " > " + maxLength);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
