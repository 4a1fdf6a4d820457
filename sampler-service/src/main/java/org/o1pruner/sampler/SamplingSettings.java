package org.o1pruner.sampler;

import java.util.List;

/**
 * How the sampler draws solutions: the paper's pre-sampling defaults are temperature 0.5,
 * top-p 0.8, no top-k, at most 8,192 new tokens. Temperature 0 is greedy. Whatever these are,
 * the recorded log-probs are those of the unmodified distribution.
 *
 * @param temperature  softmax temperature, ≥ 0 (0 = greedy)
 * @param topP         nucleus mass in (0, 1]
 * @param topK         keep the k most likely tokens; 0 = no limit
 * @param maxNewTokens most tokens generated per solution, ≥ 1
 * @param stopStrings  texts that end a solution when they appear in it
 * @param seed         base seed; each engine batch derives its own from it
 */
public record SamplingSettings(double temperature, double topP, int topK, int maxNewTokens,
                               List<String> stopStrings, long seed) {
    public SamplingSettings {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must lie in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }
}
