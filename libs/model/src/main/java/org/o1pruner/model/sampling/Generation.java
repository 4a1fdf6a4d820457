package org.o1pruner.model.sampling;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generated sample.
 *
 * @param tokens generated token ids, prompt excluded; when {@code finishReason} is
 *     {@link FinishReason#EOS} the last one is the EOS token (so L(y) = {@code tokens.length - 1})
 * @param logProbs per token, log π(token | prompt, previous tokens) under the model's unmodified
 *     distribution (temperature 1, no top-p/top-k truncation), whatever the sampling settings
 * @param finishReason why it ended
 * @param text decoded response without the EOS token (empty when the generator has no decoder);
 *     after a stop string, the text ends with that stop string
 */
public record Generation(int[] tokens, float[] logProbs, FinishReason finishReason, String text) {

    public Generation {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(text, "text");
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logProbs.length + " log-probs");
        }
    }

    /** The response length L(y): generated tokens, EOS excluded. */
    public int length() {
        return finishReason == FinishReason.EOS ? tokens.length - 1 : tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Generation g && Arrays.equals(tokens, g.tokens) && Arrays.equals(logProbs, g.logProbs)
                && finishReason == g.finishReason && text.equals(g.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokens), Arrays.hashCode(logProbs), finishReason, text);
    }

    @Override
    public String toString() {
        return "Generation[" + tokens.length + " tokens, " + finishReason + ", text=" + text + "]";
    }
}
