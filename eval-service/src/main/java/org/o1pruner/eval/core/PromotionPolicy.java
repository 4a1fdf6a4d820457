package org.o1pruner.eval.core;

import java.util.OptionalDouble;

/**
 * Decides whether an evaluated checkpoint becomes the next reference model (iterated pruning):
 * its accuracy must not be below the baseline's by more than {@code accuracyTolerance}
 * (absolute, as a fraction: 0.01 = one point), and its AES (the formula variant) must beat the
 * best AES so far, which is the AES of the last promoted version, or the baseline's 0 before any.
 * "Beat" is strict, so re-evaluating the same checkpoint never promotes it twice, and a version
 * only as good as the baseline is not promoted.
 *
 * @param accuracyTolerance how far below the baseline's accuracy a promoted version may be, in [0, 1]
 */
public record PromotionPolicy(double accuracyTolerance) {

    /** Why a version was or was not promoted (a bounded value, usable as a log field or tag). */
    public enum Decision {
        PROMOTED,
        /** The baseline itself is never promoted: it already is the reference. */
        IS_BASELINE,
        /** Nothing was graded, so there is nothing to judge. */
        NOTHING_GRADED,
        /** Accuracy fell by more than the tolerance. */
        ACCURACY_BELOW_BASELINE,
        /** Accurate enough, but no better AES than the best so far. */
        NOT_BEST;

        public boolean promoted() {
            return this == PROMOTED;
        }
    }

    /** Slack for accuracies that are equal but computed from different counts. */
    private static final double EPS = 1e-12;

    public PromotionPolicy {
        if (!(accuracyTolerance >= 0 && accuracyTolerance <= 1)) {
            throw new IllegalArgumentException("accuracyTolerance must be in [0, 1], got " + accuracyTolerance);
        }
    }

    /**
     * @param baseline     the baseline's summary on this data set and decoding
     * @param candidate    the candidate's summary
     * @param candidateAes the candidate's AES against the baseline (formula variant)
     * @param bestSoFar    the AES of the best promoted version so far, empty when none was promoted
     * @param isBaseline   whether the candidate is the baseline itself
     */
    public Decision decide(EvalSummary baseline, EvalSummary candidate, double candidateAes,
                           OptionalDouble bestSoFar, boolean isBaseline) {
        if (isBaseline) {
            return Decision.IS_BASELINE;
        }
        if (candidate.n() == 0) {
            return Decision.NOTHING_GRADED;
        }
        if (candidate.accuracy() < baseline.accuracy() - accuracyTolerance - EPS) {
            return Decision.ACCURACY_BELOW_BASELINE;
        }
        double bar = bestSoFar.isPresent() ? Math.max(0, bestSoFar.getAsDouble()) : 0;
        return candidateAes > bar ? Decision.PROMOTED : Decision.NOT_BEST;
    }
}
