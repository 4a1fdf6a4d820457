package org.o1pruner.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Direct Preference Optimization (Rafailov et al. 2023), the paper's DPO baseline:
 * {@code loss = mean of −log σ(β·[(log π_θ(y_c) − log π_ref(y_c)) − (log π_θ(y_r) − log π_ref(y_r))])}
 * with sequence log-probs summed over the response tokens. Computed as {@code softplus(−z)}, which
 * is −log σ(z) without overflow.
 */
public final class DpoLoss {

    /**
     * The loss and its statistics.
     *
     * @param loss scalar, differentiable with respect to the policy log-probs
     * @param rewardAccuracy fraction of pairs whose implicit reward prefers the chosen sample
     * @param margin mean implicit reward margin β·z
     * @param count pairs
     */
    public record Output(NDArray loss, double rewardAccuracy, double margin, int count) {}

    private DpoLoss() {}

    /**
     * @param policyChosen {@code [N]} summed policy log-probs of the chosen responses (with gradient)
     * @param policyRejected {@code [N]} the same for the rejected responses
     * @param refChosen {@code [N]} reference sums for the chosen responses
     * @param refRejected {@code [N]} reference sums for the rejected responses
     * @param beta DPO β, &gt; 0 (paper default 0.1)
     */
    public static Output compute(NDArray policyChosen, NDArray policyRejected, NDArray refChosen,
            NDArray refRejected, double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("DPO beta must be a positive finite number, got " + beta);
        }
        NDArray logits = policyChosen.sub(refChosen).sub(policyRejected.sub(refRejected)).mul(beta);
        NDArray loss = Activation.softPlus(logits.neg()).mean();
        float[] z = logits.toFloatArray();
        double margin = 0;
        int wins = 0;
        for (float v : z) {
            margin += v;
            if (v > 0) {
                wins++;
            }
        }
        int n = Math.max(1, z.length);
        return new Output(loss, (double) wins / n, margin / n, z.length);
    }

    /** Per-sequence sums {@code Σ_t mask·logp}: {@code [B, T]} to {@code [B]}. */
    public static NDArray sequenceSum(NDArray tokenLogProbs, NDArray responseMask) {
        return tokenLogProbs.mul(responseMask).sum(new int[] {1});
    }
}
