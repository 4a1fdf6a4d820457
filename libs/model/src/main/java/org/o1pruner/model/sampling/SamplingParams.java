package org.o1pruner.model.sampling;

import java.util.List;
import java.util.Objects;

/**
 * How to sample: temperature, nucleus (top-p) and top-k truncation, a token budget, stop strings
 * and a seed.
 *
 * <p>Temperature 0 means greedy decoding (the paper's evaluation setting); its pre-sampling uses
 * temperature 0.5 and top-p 0.8. The same seed, prompts and settings give the same samples.
 *
 * @param temperature divides the logits before truncation; 0 = greedy; {@code >= 0}
 * @param topP keep the smallest set of most likely tokens whose mass reaches {@code topP}; in (0, 1]
 * @param topK keep at most this many most likely tokens; 0 = no limit
 * @param maxNewTokens token budget per sample, {@code >= 1}
 * @param stopStrings generation stops once the decoded text contains one of these (needs a decoder)
 * @param seed seed of the per-sample random streams
 */
public record SamplingParams(double temperature, double topP, int topK, int maxNewTokens, List<String> stopStrings, long seed) {

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        stopStrings = List.copyOf(Objects.requireNonNull(stopStrings, "stopStrings"));
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding (temperature 0). */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, 1, 0, maxNewTokens, List.of(), 0);
    }

    /** Plain sampling at temperature 1 with no truncation. */
    public static SamplingParams sampled(int maxNewTokens, long seed) {
        return new SamplingParams(1, 1, 0, maxNewTokens, List.of(), seed);
    }

    /** The paper's pre-sampling setting: temperature 0.5, top-p 0.8. */
    public static SamplingParams paperPresampling(int maxNewTokens, long seed) {
        return new SamplingParams(0.5, 0.8, 0, maxNewTokens, List.of(), seed);
    }

    /** Whether this is greedy decoding. */
    public boolean greedy() {
        return temperature == 0;
    }

    public SamplingParams withTemperature(double t) {
        return new SamplingParams(t, topP, topK, maxNewTokens, stopStrings, seed);
    }

    public SamplingParams withTopP(double p) {
        return new SamplingParams(temperature, p, topK, maxNewTokens, stopStrings, seed);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, topP, k, maxNewTokens, stopStrings, seed);
    }

    public SamplingParams withMaxNewTokens(int n) {
        return new SamplingParams(temperature, topP, topK, n, stopStrings, seed);
    }

    public SamplingParams withStopStrings(List<String> stops) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stops, seed);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topP, topK, maxNewTokens, stopStrings, s);
    }
}
