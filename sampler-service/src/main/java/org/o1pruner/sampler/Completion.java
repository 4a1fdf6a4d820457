package org.o1pruner.sampler;

import org.o1pruner.schema.FinishReason;

/**
 * One generated solution as the engine returns it.
 *
 * @param tokens       generated token ids, shape [T] (EOS included when {@code finishReason} is EOS)
 * @param logProbs     log-prob of each token under the unmodified distribution, shape [T], nats
 * @param finishReason why generation stopped
 * @param text         the decoded response, special tokens removed
 */
public record Completion(int[] tokens, float[] logProbs, FinishReason finishReason, String text) {
    public Completion {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logProbs.length + " log-probs");
        }
    }
}
