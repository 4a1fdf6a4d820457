package org.o1pruner.model.train;

import ai.djl.ndarray.NDArray;

/**
 * Loss functions over per-token log-probabilities, shared by the SFT baseline and the reference
 * model builder. Inputs are {@code [B, T]} arrays of log π(y_t | x, y_<t) for the response tokens,
 * with a mask of the same shape (1 = scored token, 0 = padding or prompt).
 */
public final class Losses {
    private Losses() {}

    /**
     * Token-mean negative log-likelihood: {@code -Σ mask·logp / Σ mask}, the standard SFT loss
     * (every response token of the batch weighs the same).
     *
     * @param tokenLogProbs {@code [B, T]} float log-probabilities (may carry a gradient)
     * @param mask {@code [B, T]} 1 for scored tokens, 0 otherwise (any numeric type)
     * @return a scalar in the manager of {@code tokenLogProbs}
     * @throws IllegalArgumentException when the shapes differ
     */
    public static NDArray sftNll(NDArray tokenLogProbs, NDArray mask) {
        if (!tokenLogProbs.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException("log-probs " + tokenLogProbs.getShape() + " and mask "
                    + mask.getShape() + " must have the same shape");
        }
        NDArray m = sameType(mask, tokenLogProbs);
        NDArray count = m.sum();
        count.attach(tokenLogProbs.getManager());
        count = count.maximum(1f);
        return tokenLogProbs.mul(m).sum().neg().div(count);
    }

    /**
     * Per-sequence mean log-probability {@code Σ_t mask·logp / Σ_t mask}, the length-normalised score
     * s(y) of the paper (0 for a sequence with no scored token).
     *
     * @return {@code [B]} in the manager of {@code tokenLogProbs}
     */
    public static NDArray sequenceMeanLogProb(NDArray tokenLogProbs, NDArray mask) {
        if (!tokenLogProbs.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException("log-probs " + tokenLogProbs.getShape() + " and mask "
                    + mask.getShape() + " must have the same shape");
        }
        NDArray m = sameType(mask, tokenLogProbs);
        NDArray count = m.sum(new int[] {1});
        count.attach(tokenLogProbs.getManager());
        count = count.maximum(1f);
        return tokenLogProbs.mul(m).sum(new int[] {1}).div(count);
    }

    /** {@code mask} in the dtype of {@code like}; a converted copy joins the manager of {@code like}. */
    private static NDArray sameType(NDArray mask, NDArray like) {
        if (mask.getDataType() == like.getDataType()) {
            return mask;
        }
        NDArray m = mask.toType(like.getDataType(), false);
        m.attach(like.getManager());
        return m;
    }
}
