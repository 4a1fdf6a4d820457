package org.o1pruner.schema;

import java.util.Map;

/** Small valid records for example-based tests. */
final class Fixtures {
    private Fixtures() {}

    static PromptRecord prompt() {
        return new PromptRecord("gsm8k-00001", "gsm8k", "test", "A robe takes 2 bolts…", "3", 16, 0, 0L,
                PromptRecord.VARIANT_DEFAULT, 1_700_000_000_000L);
    }

    static SampleRecord sample() {
        return new SampleRecord("gsm8k-00001", "gsm8k", 0, 0L, 3, 16, "3", PromptRecord.VARIANT_DEFAULT,
                new int[] {1, 2, 3, 4}, new int[] {10, 11, 12, 0}, new float[] {-0.5f, -1.25f, 0f, -0.01f},
                "2 + 1 = 3, so \\boxed{3}", FinishReason.EOS, 42L, 1_700_000_000_100L);
    }

    static ScoredRecord scored() {
        return new ScoredRecord(sample(), true, "3", 3, 4.5, 0.75, 16, 4.5 / 3 - 1 + 2 * (1 - 0.75), 2.0,
                false, false, 1_700_000_000_200L);
    }

    static CheckpointRecord checkpoint() {
        return new CheckpointRecord("run-1", 3, 1200, "file:///ckpt/run-1/v3/",
                Map.of("model.safetensors", "a".repeat(64), "config.json", "0123456789abcdef".repeat(4)),
                2, "o1-pruner", Map.of("loss", -0.12, "clip_fraction", 0.05), 1_700_000_000_300L);
    }

    static EvalRecord eval() {
        return new EvalRecord("run-1", 3, "math_test", "greedy", 458, 350, 350.0 / 458, 0.72, 0.80,
                554.0, 0.55, 0.55, false, true, 1_700_000_000_400L);
    }
}
