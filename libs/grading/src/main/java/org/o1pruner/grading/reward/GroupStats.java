package org.o1pruner.grading.reward;

import java.util.List;

/**
 * The reference means of one completed group: the K samples of one problem drawn
 * from one policy version (DESIGN.md §2).
 *
 * @param k             number of samples the means are over, {@code >= 1}
 * @param meanLength    L̄_ref(x): mean response length in tokens (of the reported lengths, zeros included)
 * @param meanAccuracy  Ā_ref(x): fraction of correct samples, in [0, 1]
 */
public record GroupStats(int k, double meanLength, double meanAccuracy) {
    /** Validates ranges. */
    public GroupStats {
        if (k < 1) {
            throw new IllegalArgumentException("a group needs at least one sample, got k=" + k);
        }
        if (!(meanLength >= 0) || Double.isInfinite(meanLength)) {
            throw new IllegalArgumentException("meanLength must be finite and >= 0, got " + meanLength);
        }
        if (!(meanAccuracy >= 0 && meanAccuracy <= 1)) {
            throw new IllegalArgumentException("meanAccuracy must be in [0,1], got " + meanAccuracy);
        }
    }

    /**
     * The means of a group of outcomes.
     *
     * @throws IllegalArgumentException if the group is empty
     */
    public static GroupStats of(List<Outcome> group) {
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("cannot compute reference means of an empty group");
        }
        long lengthSum = 0;
        int correct = 0;
        for (Outcome o : group) {
            lengthSum += o.length();
            if (o.correct()) {
                correct++;
            }
        }
        int k = group.size();
        return new GroupStats(k, (double) lengthSum / k, (double) correct / k);
    }
}
