package org.o1pruner.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.o1pruner.model.CausalLM;
import org.o1pruner.trainer.core.PackedBatch;

/**
 * Teacher-forced per-token log-probs of the response tokens of a {@link PackedBatch}: one forward
 * pass over prompt + response, the output head applied only at the positions that predict
 * response tokens, log-softmax, and the target token's entry. Differentiable when gradient mode is
 * on; the same arithmetic as the engine's sampler (same {@link CausalLM}).
 */
public final class ResponseLogProbs {
    private ResponseLogProbs() {}

    /** The inputs as arrays in {@code scope}: {@code [B, P+T]} ids and mask, {@code [B, T]} mask. */
    public static NDArray responseMask(PackedBatch batch, NDManager scope) {
        return scope.create(batch.responseMask());
    }

    /**
     * @return {@code [B, T]} float32 log π(y_t | x, y_&lt;t) in {@code scope} (padding positions hold
     *     the log-prob of token 0 and must be masked by the caller)
     */
    public static NDArray compute(CausalLM model, PackedBatch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        NDArray mask = scope.create(batch.attentionMask());
        NDArray hidden = model.forwardHidden(ids, mask, null);
        int p = batch.promptWidth();
        int t = batch.responseWidth();
        NDArray slice = hidden.get(new NDIndex(":, {}:{}, :", p - 1, p - 1 + t));
        NDArray logits = model.lmHead(slice);
        if (logits.getDataType() != DataType.FLOAT32) {
            logits = logits.toType(DataType.FLOAT32, false);
        }
        NDArray targets = scope.create(batch.targets()).expandDims(2);
        return logits.logSoftmax(2).gather(targets, 2).squeeze(2);
    }
}
