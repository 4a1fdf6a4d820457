package org.o1pruner.eval.core;

import java.util.Objects;
import java.util.OptionalDouble;
import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.grading.aes.Wilson;
import org.o1pruner.schema.EvalRecord;

/**
 * Turns a summary into the {@code evals} record: accuracy with its 95 % interval, mean length,
 * both AES variants against the baseline, and the promotion decision. Pure.
 */
public final class EvalJudge {
    private final AesWeights weights;
    private final PromotionPolicy policy;

    public EvalJudge(AesWeights weights, PromotionPolicy policy) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** A record with its promotion decision. */
    public record Verdict(EvalRecord record, PromotionPolicy.Decision decision, Aes.Scores scores) {}

    /** The record of the baseline itself: AES 0 in both variants, never promoted. */
    public EvalRecord baseline(String runId, long version, String dataset, String decoding, EvalSummary s, long nowMs) {
        return record(runId, version, dataset, decoding, s, 0, 0, true, false, nowMs);
    }

    /**
     * Judges a non-baseline version against the baseline's record.
     *
     * @param bestSoFar the AES of the best promoted version so far (see {@link EvalLedger#bestAes})
     */
    public Verdict judge(String runId, long version, String dataset, String decoding, EvalSummary candidate,
                         EvalRecord baseline, OptionalDouble bestSoFar, long nowMs) {
        if (!baseline.baseline()) {
            throw new IllegalArgumentException("record of version " + baseline.version() + " is not a baseline");
        }
        EvalSummary base = EvalSummary.of(baseline.n(), baseline.correct(), baseline.meanLength());
        Aes.Scores scores = Aes.scores(baseline.accuracy(), baseline.meanLength(), candidate.accuracy(),
                candidate.meanLength(), weights);
        PromotionPolicy.Decision d = policy.decide(base, candidate, scores.formula(), bestSoFar, false);
        EvalRecord r = record(runId, version, dataset, decoding, candidate, scores.formula(), scores.paperTable(),
                false, d.promoted(), nowMs);
        return new Verdict(r, d, scores);
    }

    private static EvalRecord record(String runId, long version, String dataset, String decoding, EvalSummary s,
                                     double aes, double aesPaper, boolean isBaseline, boolean promoted, long nowMs) {
        Wilson.Interval ci = s.accuracy95();
        return new EvalRecord(runId, version, dataset, decoding, s.n(), s.correct(), s.accuracy(), ci.low(), ci.high(),
                s.meanLength(), aes, aesPaper, isBaseline, promoted, nowMs).validate();
    }
}
