package org.o1pruner.reward;

import java.util.Arrays;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.SampleRecord;

/** Test fixtures: valid samples with chosen lengths, answers and texts. */
final class Samples {
    private Samples() {}

    /** A sample of {@code length} tokens that stopped on EOS (so it carries length + 1 token ids). */
    static SampleRecord sample(String problemId, int round, long version, int index, int k,
                               String text, String answer, int length) {
        int[] response = new int[length + 1];
        for (int i = 0; i < response.length; i++) {
            response[i] = 10 + (i * 7 + index) % 500;
        }
        float[] logProbs = new float[response.length];
        Arrays.fill(logProbs, -0.25f);
        return new SampleRecord(problemId, "gsm8k", round, version, index, k, answer, "default",
                new int[] {1, 2, 3}, response, logProbs, text, FinishReason.EOS, 12, 1_700_000_000_000L);
    }

    /** A sample answering {@code boxed} to a problem whose truth is {@code truth}. */
    static SampleRecord answering(String problemId, int index, int k, String boxed, String truth, int length) {
        return sample(problemId, 0, 1, index, k, "Let me think. 6*7 = 42. So the answer is \\boxed{" + boxed + "}.",
                truth, length);
    }
}
