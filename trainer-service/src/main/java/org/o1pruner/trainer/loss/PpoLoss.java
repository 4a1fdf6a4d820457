package org.o1pruner.trainer.loss;

import ai.djl.ndarray.NDArray;
import org.o1pruner.model.train.Losses;

/**
 * The off-policy PPO-clipped objective of O1-Pruner (DESIGN.md §2):
 * {@code loss = mean over batch of max(−Â·r, −Â·clip(r, 1−ε, 1+ε))}.
 *
 * <p>The {@linkplain #sequence sequence} variant (the paper's code, the default) uses one ratio per
 * sample, {@code r = exp(s_θ − s_ref)} with s the length-normalized log-prob (mean over the
 * response tokens, EOS included when the response ended with it: the EOS decision is part of
 * π(y|x) and the very token a length objective must learn). The {@linkplain #token token}
 * variant is standard PPO: one ratio per token, the clipped surrogate averaged over every response
 * token of the batch.
 *
 * <p>Statistics are measured on the same ratios: their mean, the fraction outside
 * [1−ε, 1+ε], and the approximate KL to the reference {@code mean((r − 1) − log r)} (≥ 0, zero
 * only when r = 1).
 */
public final class PpoLoss {

    /**
     * The loss and its statistics.
     *
     * @param loss scalar, differentiable with respect to the policy log-probs
     * @param meanRatio mean of r
     * @param clipFraction fraction of ratios outside [1−ε, 1+ε]
     * @param approxKl mean of (r − 1) − log r
     * @param count ratios measured (sequences or tokens), to weight statistics across micro-batches
     */
    public record Output(NDArray loss, double meanRatio, double clipFraction, double approxKl, int count) {}

    private PpoLoss() {}

    /**
     * Sequence-level ratio.
     *
     * @param tokenLogProbs {@code [B, T]} policy log-probs of the response tokens (with gradient)
     * @param responseMask {@code [B, T]} 1 for response tokens, 0 for padding
     * @param refScores {@code [B]} s_ref: the reference's mean log-prob over the same tokens
     * @param advantages {@code [B]} standardized advantages Â
     * @param epsilon clip ε, in (0, 1)
     */
    public static Output sequence(NDArray tokenLogProbs, NDArray responseMask, NDArray refScores,
            NDArray advantages, double epsilon) {
        checkEpsilon(epsilon);
        NDArray score = Losses.sequenceMeanLogProb(tokenLogProbs, responseMask);
        NDArray logRatio = score.sub(refScores);
        NDArray ratio = logRatio.exp();
        NDArray loss = surrogate(ratio, advantages, epsilon).mean();
        float[] r = ratio.toFloatArray();
        float[] lr = logRatio.toFloatArray();
        return stats(loss, r, lr, null, epsilon);
    }

    /**
     * Token-level ratio.
     *
     * @param tokenLogProbs {@code [B, T]} policy log-probs (with gradient)
     * @param refTokenLogProbs {@code [B, T]} reference log-probs of the same tokens
     * @param responseMask {@code [B, T]} 1 for response tokens, 0 for padding
     * @param advantages {@code [B]} one advantage per sequence, shared by its tokens
     * @param epsilon clip ε, in (0, 1)
     */
    public static Output token(NDArray tokenLogProbs, NDArray refTokenLogProbs, NDArray responseMask,
            NDArray advantages, double epsilon) {
        checkEpsilon(epsilon);
        if (!tokenLogProbs.getShape().equals(refTokenLogProbs.getShape())
                || !tokenLogProbs.getShape().equals(responseMask.getShape())) {
            throw new IllegalArgumentException("policy " + tokenLogProbs.getShape() + ", reference "
                    + refTokenLogProbs.getShape() + " and mask " + responseMask.getShape() + " must match");
        }
        NDArray logRatio = tokenLogProbs.sub(refTokenLogProbs);
        NDArray ratio = logRatio.exp();
        NDArray perToken = surrogate(ratio, advantages.expandDims(1), epsilon).mul(responseMask);
        NDArray count = responseMask.sum().maximum(1f);
        NDArray loss = perToken.sum().div(count);
        return stats(loss, ratio.toFloatArray(), logRatio.toFloatArray(), responseMask.toFloatArray(), epsilon);
    }

    /** {@code max(−A·r, −A·clip(r, 1−ε, 1+ε))}, element-wise. */
    static NDArray surrogate(NDArray ratio, NDArray advantages, double epsilon) {
        NDArray unclipped = ratio.mul(advantages).neg();
        NDArray clipped = ratio.clip(1 - epsilon, 1 + epsilon).mul(advantages).neg();
        return unclipped.maximum(clipped);
    }

    private static Output stats(NDArray loss, float[] r, float[] logR, float[] mask, double eps) {
        double sum = 0;
        double kl = 0;
        int clipped = 0;
        int n = 0;
        for (int i = 0; i < r.length; i++) {
            if (mask != null && mask[i] == 0f) {
                continue;
            }
            n++;
            sum += r[i];
            kl += (r[i] - 1.0) - logR[i];
            if (r[i] < 1 - eps || r[i] > 1 + eps) {
                clipped++;
            }
        }
        int d = Math.max(1, n);
        return new Output(loss, sum / d, (double) clipped / d, kl / d, n);
    }

    private static void checkEpsilon(double epsilon) {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("PPO epsilon must be in (0, 1), got " + epsilon);
        }
    }
}
