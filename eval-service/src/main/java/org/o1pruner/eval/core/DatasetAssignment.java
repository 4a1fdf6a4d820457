package org.o1pruner.eval.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits the configured data sets between several evaluator instances: each instance, knowing
 * only the shared list, its index and the instance count, computes the same split, so no
 * coordination is needed and every data set has exactly one owner.
 *
 * <p>The data sets are de-duplicated and sorted by name, then dealt round-robin: instance
 * {@code i} owns the sorted names at positions {@code i, i + count, …}. With the handful of test
 * sets an evaluation uses, an even deal matters more than the small movement consistent hashing
 * would give when the instance count changes (with hashing, three data sets over three
 * instances often leave one instance idle). Pure.
 */
public final class DatasetAssignment {
    private DatasetAssignment() {}

    /**
     * The data sets owned by instance {@code index} of {@code count}.
     *
     * @throws IllegalArgumentException when {@code index} is not in {@code [0, count)} or a name is blank
     */
    public static List<String> owned(List<String> datasets, int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("instance index must be in [0, " + count + "), got " + index);
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String d : datasets) {
            if (d == null || d.isBlank()) {
                throw new IllegalArgumentException("blank data set name in " + datasets);
            }
            sorted.add(d);
        }
        List<String> mine = new ArrayList<>();
        int position = 0;
        for (String d : sorted) {
            if (position % count == index) {
                mine.add(d);
            }
            position++;
        }
        return List.copyOf(mine);
    }
}
