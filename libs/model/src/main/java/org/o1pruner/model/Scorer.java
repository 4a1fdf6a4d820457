package org.o1pruner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Teacher-forced log-probabilities of response tokens under a model, and the length-normalised
 * sequence score of DESIGN.md §2: {@code s(y) = (1/L) Σ_t log π(y_t | x, y_<t)}.
 *
 * <p>Which tokens count: exactly the response tokens passed in. When a response ends with EOS,
 * the EOS token is scored and counted in L here, as in the official implementation, where the
 * EOS label is part of the loss mask: its log-probability is how the policy learns to stop. The
 * reward's L(y) excludes EOS and is computed by the reward service, not here. Log-probs are of
 * the unmodified distribution (temperature 1, no truncation), computed in float32 (float64 for
 * a float64 model, used by numerical checks).
 *
 * <p>Gradients flow when the calling thread's gradient mode is on ({@link GradMode}).
 */
public final class Scorer {

    /** Default bound on the logits materialised at once (elements): 64 M, i.e. 256 MB. */
    public static final long DEFAULT_MAX_LOGIT_ELEMENTS = 64L << 20;

    private final CausalLM model;
    private final long maxLogitElements;

    /** A scorer over {@code model} with the default logits chunk bound. */
    public Scorer(CausalLM model) {
        this(model, DEFAULT_MAX_LOGIT_ELEMENTS);
    }

    /**
     * A scorer that materialises at most about {@code maxLogitElements} logits at a time: the
     * output head runs over chunks of response positions (large vocabularies need this).
     */
    public Scorer(CausalLM model, long maxLogitElements) {
        if (maxLogitElements <= 0) {
            throw new IllegalArgumentException("maxLogitElements must be positive");
        }
        this.model = model;
        this.maxLogitElements = maxLogitElements;
    }

    /**
     * Per-token log-probs {@code [B, R]} float32 (float64 for a float64 model) of the batch's response tokens (0 at padding),
     * in the batch's manager, differentiable when gradient mode is on.
     */
    public NDArray tokenLogProbs(ScoringBatch batch) {
        NDManager out = batch.inputIds().getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray hidden = model.forwardHidden(batch.inputIds(), batch.attentionMask(), null);
            hidden.attach(scope);
            int start = batch.promptWidth() - 1;
            int width = batch.responseWidth();
            long perPosition = (long) batch.size() * model.config().vocabSize();
            int chunk = (int) Math.max(1, Math.min(width, maxLogitElements / perPosition));
            NDArray logp = null;
            for (int from = 0; from < width; from += chunk) {
                int to = Math.min(width, from + chunk);
                NDArray part = chunkLogProbs(hidden.get(new NDIndex(":, {}:{}, :", start + from, start + to)),
                        batch.targets().get(new NDIndex(":, {}:{}, :", from, to)));
                logp = logp == null ? part : logp.concat(part, 1);
            }
            logp = logp.mul(batch.responseMask());
            logp.attach(out);
            return logp;
        }
    }

    /** Log-probs {@code [B, n]} of {@code targets [B, n, 1]} given final hidden states. */
    private NDArray chunkLogProbs(NDArray hidden, NDArray targets) {
        NDArray logits = model.lmHead(hidden);
        if (logits.getDataType() == DataType.FLOAT16) {
            logits = logits.toType(DataType.FLOAT32, false);
        }
        return logits.logSoftmax(-1).gather(targets, -1).squeeze(-1);
    }

    /** Sequence scores {@code [B]}: the mean of each row's token log-probs (see class doc). */
    public NDArray sequenceScores(ScoringBatch batch) {
        NDManager out = batch.inputIds().getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray tokens = tokenLogProbs(batch);
            tokens.attach(scope);
            NDArray scores = sequenceScores(tokens, batch.responseMask());
            scores.attach(out);
            return scores;
        }
    }

    /** Row means of masked token log-probs: {@code Σ_t lp·m / Σ_t m}, shape {@code [B]}. */
    public static NDArray sequenceScores(NDArray tokenLogProbs, NDArray responseMask) {
        NDArray sum = tokenLogProbs.mul(responseMask).sum(new int[] {-1});
        return sum.div(responseMask.sum(new int[] {-1}));
    }

    /** As {@link #tokenLogProbsNoGrad(List, List, int)} padding with token 0. */
    public float[][] tokenLogProbsNoGrad(List<int[]> prompts, List<int[]> responses) {
        return tokenLogProbsNoGrad(prompts, responses, 0);
    }

    /**
     * Per-token log-probs without gradient, one array per row, each as long as its response.
     *
     * @param padId any valid token id (padding is masked out)
     */
    public float[][] tokenLogProbsNoGrad(List<int[]> prompts, List<int[]> responses, int padId) {
        try (GradMode.Scope ignored = GradMode.disabled();
                NDManager nd = model.manager().newSubManager();
                ScoringBatch batch = ScoringBatch.of(prompts, responses, padId, nd)) {
            float[] flat = tokenLogProbs(batch).toFloatArray();
            int r = batch.responseWidth();
            float[][] rows = new float[batch.size()][];
            int[] lengths = batch.responseLengths();
            for (int i = 0; i < rows.length; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * r, i * r + lengths[i]);
            }
            return rows;
        }
    }

    /** The sequence score of one response from its per-token log-probs (their mean). */
    public static double sequenceScore(float[] tokenLogProbs) {
        if (tokenLogProbs.length == 0) {
            throw new IllegalArgumentException("a response needs at least one scored token");
        }
        double sum = 0;
        for (float lp : tokenLogProbs) {
            sum += lp;
        }
        return sum / tokenLogProbs.length;
    }
}
