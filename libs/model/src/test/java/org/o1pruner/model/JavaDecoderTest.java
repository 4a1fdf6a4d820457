package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaDecoderTest {

    @BeforeAll
    static void load() {
        ai.djl.engine.Engine.getEngine("PyTorch");
    }

    /** Logits of the full, uncached libtorch forward at every position of one sequence. */
    private static float[] reference(CausalLM model, int[] tokens) {
        try (GradMode.Scope off = GradMode.disabled(); NDManager m = NDManager.newBaseManager()) {
            long[] ids = Arrays.stream(tokens).asLongStream().toArray();
            NDArray input = m.create(ids, new ai.djl.ndarray.types.Shape(1, ids.length));
            return model.forward(input, TestModels.ones(m, 1, ids.length), null).toFloatArray();
        }
    }

    @Test
    void prefillAndTokenByTokenDecodingMatchTheFullForwardOfEveryConfiguration() {
        for (ModelConfig config : TestModels.all()) {
            try (CausalLM model = TestModels.perturbed(config, 3)) {
                JavaDecoder decoder = JavaDecoder.of(model);
                int vocab = config.vocabSize();
                Random rng = new Random(7);
                // rows of different lengths, fed partly as a prompt, then one token at a time
                int[][] seqs = new int[3][];
                int[] promptLen = {5, 1, 9};
                for (int r = 0; r < seqs.length; r++) {
                    seqs[r] = rng.ints(promptLen[r] + 6, 0, vocab).toArray();
                }
                for (int threads : new int[] {1, 2}) {
                    JavaDecoder.Session s = decoder.session(seqs.length, 20, threads);
                    int[][] prompts = new int[seqs.length][];
                    for (int r = 0; r < seqs.length; r++) {
                        prompts[r] = Arrays.copyOf(seqs[r], promptLen[r]);
                    }
                    float[] logits = s.step(new int[] {0, 1, 2}, prompts);
                    for (int r = 0; r < seqs.length; r++) {
                        float[] ref = reference(model, seqs[r]);
                        int pos = promptLen[r] - 1;
                        assertClose(ref, pos * vocab, logits, r * vocab, vocab, config + " prompt row " + r);
                    }
                    for (int step = 0; step < 6; step++) {
                        // row 1 skips odd steps: rows advance independently
                        int[] rows = step % 2 == 1 ? new int[] {2, 0} : new int[] {0, 1, 2};
                        int[][] next = new int[rows.length][];
                        for (int i = 0; i < rows.length; i++) {
                            next[i] = new int[] {seqs[rows[i]][s.length(rows[i])]};
                        }
                        logits = s.step(rows, next);
                        for (int i = 0; i < rows.length; i++) {
                            int r = rows[i];
                            int pos = s.length(r) - 1;
                            float[] ref = reference(model, Arrays.copyOf(seqs[r], pos + 1));
                            assertClose(ref, pos * vocab, logits, i * vocab, vocab,
                                    config + " threads " + threads + " row " + r + " pos " + pos);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSnapshotIgnoresLaterParameterUpdatesAndRejectsOtherTypes() {
        try (CausalLM model = TestModels.perturbed(TestModels.qwenGqa(), 5)) {
            JavaDecoder decoder = JavaDecoder.of(model);
            float[] before = decoder.session(1, 4, 1).step(new int[] {0}, new int[][] {{3, 4}});
            model.parameters().get("model.norm.weight").muli(3);
            float[] after = decoder.session(1, 4, 1).step(new int[] {0}, new int[][] {{3, 4}});
            assertArrayEquals(before, after);
            float[] fresh = JavaDecoder.of(model).session(1, 4, 1).step(new int[] {0}, new int[][] {{3, 4}});
            assertTrue(TestModels.maxAbsDiff(before, fresh) > 1e-3, "a new snapshot sees the update");
            try (CausalLM f64 = model.copy(model.device(), ai.djl.ndarray.types.DataType.FLOAT64)) {
                assertThrows(IllegalArgumentException.class, () -> JavaDecoder.of(f64));
            }
        }
    }

    @Test
    void sessionsRejectOverflowRepeatsAndForeignTokens() {
        try (CausalLM model = TestModels.perturbed(TestModels.qwenGqa(), 5)) {
            JavaDecoder.Session s = JavaDecoder.of(model).session(2, 3, 1);
            assertThrows(IllegalArgumentException.class, () -> s.step(new int[] {0, 0}, new int[][] {{1}, {2}}));
            assertThrows(IllegalArgumentException.class, () -> s.step(new int[] {0}, new int[][] {{-1}}));
            assertThrows(IllegalArgumentException.class, () -> s.step(new int[] {0}, new int[][] {{}}));
            assertThrows(IllegalStateException.class, () -> s.step(new int[] {1}, new int[][] {{1, 2, 3, 4}}));
            assertEquals(0, s.length(1), "a rejected step changes nothing");
        }
    }

    @Test
    void rowSplitsAreContiguousNonEmptyAndBalanced() {
        int[][] tokens = {new int[10], new int[1], new int[1], new int[1], new int[9]};
        int[] b = JavaDecoder.split(tokens, 2);
        assertArrayEquals(new int[] {0, 2, 5}, b); // 11 and 11 tokens
        int[] three = JavaDecoder.split(new int[][] {new int[1], new int[1], new int[1]}, 3);
        assertArrayEquals(new int[] {0, 1, 2, 3}, three);
    }

    private static void assertClose(float[] expected, int eOff, float[] actual, int aOff, int n, String what) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(expected[eOff + i] - actual[aOff + i]));
        }
        assertTrue(max < 2e-5f, what + ": max |Δ| " + max);
    }
}
