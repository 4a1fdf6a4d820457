package org.o1pruner.trainer;

import java.util.Arrays;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;
import org.o1pruner.trainer.core.Tracked;

/** Scored records for tests. */
public final class Fixtures {
    private Fixtures() {}

    /** A scored sample with {@code length} response tokens (last one EOS = 1), log-probs −1. */
    public static ScoredRecord scored(String problem, int index, int k, boolean correct, int length, double reward) {
        int[] prompt = {5, 6, 7};
        int[] response = new int[length + 1];
        for (int i = 0; i < length; i++) {
            response[i] = 10 + (i % 7);
        }
        response[length] = 1;
        float[] lp = new float[response.length];
        Arrays.fill(lp, -1f);
        return scored(problem, index, k, correct, prompt, response, lp, reward);
    }

    /** A scored sample from explicit tokens (the response ends with EOS). */
    public static ScoredRecord scored(String problem, int index, int k, boolean correct, int[] prompt, int[] response,
            float[] logProbs, double reward) {
        SampleRecord s = new SampleRecord(problem, "toy", 0, 0, index, k, "42", "default", prompt, response, logProbs,
                "text", FinishReason.EOS, 1, 1_000);
        return new ScoredRecord(s, correct, correct ? "42" : "41", s.length(), 10.0, 0.5, k, reward, 2.0, false,
                false, 2_000).validate();
    }

    /** Tracked at partition 0. */
    public static Tracked tracked(long offset, ScoredRecord r) {
        return new Tracked(0, offset, r);
    }
}
