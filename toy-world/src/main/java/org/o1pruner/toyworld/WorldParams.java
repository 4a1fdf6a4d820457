package org.o1pruner.toyworld;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The knobs of the trace writer: how often a pass slips and how many re-checks a long trace
 * makes per difficulty bucket. The defaults are the committed generator settings; they were
 * chosen (see {@code SIMULATION.md}) so that, under the length-harmonizing reward at λ = 2,
 * keeping a re-check pays on hard problems and dropping it pays on easy ones — the property
 * DESIGN.md §5 found a world needs before training on it makes sense. The count is drawn so
 * that after the first re-check each stop-or-continue decision is close to even (easy problems
 * from the first pass on): the sampler's temperature 0.5 and top-p 0.8 sharpen lopsided
 * decisions until every sample makes the same number of re-checks, and the per-problem length
 * spread collapses (1.52× with the earlier uniform weights, 2.11× with these).
 *
 * @param hardStepError      chance that a first-pass hard step slips (dropped carry or borrow, product off by a factor)
 * @param easyStepError      chance that a first-pass easy step slips (units digit off by one)
 * @param recheckHardError   chance that a re-check's hard step slips
 * @param recheckEasyError   chance that a re-check's easy step slips
 * @param recheckWeights     per bucket, relative weights of 0, 1, 2, … re-checks in a long trace
 */
public record WorldParams(double hardStepError, double easyStepError, double recheckHardError,
                          double recheckEasyError, Map<Difficulty, double[]> recheckWeights) {

    /** The committed settings. */
    public static final WorldParams DEFAULT = new WorldParams(0.45, 0.03, 0.03, 0.005, Map.of(
            Difficulty.EASY, new double[] {0.5, 0.25, 0.125, 0.0625, 0.0625},
            Difficulty.MEDIUM, new double[] {0.35, 0.33, 0.16, 0.08, 0.08},
            Difficulty.HARD, new double[] {0.04, 0.48, 0.24, 0.12, 0.12}));

    public WorldParams {
        for (double p : new double[] {hardStepError, easyStepError, recheckHardError, recheckEasyError}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("error rates must lie in [0, 1), got " + p);
            }
        }
        EnumMap<Difficulty, double[]> copy = new EnumMap<>(Difficulty.class);
        for (Difficulty d : Difficulty.values()) {
            double[] w = recheckWeights.get(d);
            if (w == null || w.length == 0) {
                throw new IllegalArgumentException("re-check weights missing for " + d);
            }
            double sum = 0;
            for (double x : w) {
                if (!(x >= 0)) {
                    throw new IllegalArgumentException("re-check weights must be >= 0 for " + d);
                }
                sum += x;
            }
            if (sum <= 0) {
                throw new IllegalArgumentException("re-check weights for " + d + " sum to 0");
            }
            copy.put(d, w.clone());
        }
        recheckWeights = java.util.Collections.unmodifiableMap(copy);
    }

    /** Largest number of re-checks a long trace can make. */
    public int maxRechecks() {
        int max = 0;
        for (double[] w : recheckWeights.values()) {
            max = Math.max(max, w.length - 1);
        }
        return max;
    }

    /** Draws the number of re-checks for a problem of bucket {@code d} from uniform {@code u} in [0, 1). */
    int drawRechecks(Difficulty d, double u) {
        double[] w = recheckWeights.get(d);
        double total = Arrays.stream(w).sum();
        double acc = 0;
        for (int k = 0; k < w.length; k++) {
            acc += w[k] / total;
            if (u < acc) {
                return k;
            }
        }
        return w.length - 1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("WorldParams[hardStepError=").append(hardStepError)
                .append(", easyStepError=").append(easyStepError)
                .append(", recheckHardError=").append(recheckHardError)
                .append(", recheckEasyError=").append(recheckEasyError);
        for (Difficulty d : Difficulty.values()) {
            sb.append(", ").append(d.tag()).append('=').append(Arrays.toString(recheckWeights.get(d)));
        }
        return sb.append(']').toString();
    }
}
