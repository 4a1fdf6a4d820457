package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CausalLMTest {

    private static CausalLM qwen;
    private static CausalLM llama;

    @BeforeAll
    static void load() {
        qwen = TestModels.perturbed(TestModels.qwenGqa(), 11);
        llama = TestModels.perturbed(TestModels.llamaTied(), 12);
    }

    @AfterAll
    static void close() {
        qwen.close();
        llama.close();
    }

    static java.util.stream.Stream<String> models() {
        return java.util.stream.Stream.of("qwen", "llama");
    }

    private static CausalLM model(String name) {
        return name.equals("qwen") ? qwen : llama;
    }

    @org.junit.jupiter.api.Test
    void aCopyOnTheSameDeviceSharesNoStorageWithTheOriginal() {
        try (CausalLM original = TestModels.perturbed(TestModels.qwenGqa(), 31);
                CausalLM copy = original.copy(original.device())) {
            for (java.util.Map.Entry<String, NDArray> e : original.parameters().entrySet()) {
                float[] before = e.getValue().toFloatArray();
                copy.parameters().get(e.getKey()).addi(1f);
                org.junit.jupiter.api.Assertions.assertArrayEquals(before, e.getValue().toFloatArray(),
                        e.getKey() + ": training the copy moved the original");
                e.getValue().subi(2f);
                float[] copied = copy.parameters().get(e.getKey()).toFloatArray();
                for (int i = 0; i < before.length; i++) {
                    org.junit.jupiter.api.Assertions.assertEquals(before[i] + 1f, copied[i], 1e-6f, e.getKey());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void logitsHaveTheDocumentedShapeAndType(String name) {
        CausalLM m = model(name);
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            NDArray ids = nd.create(TestModels.randomTokens(new Random(1), 3, 7, m.config().vocabSize()));
            NDArray logits = m.forward(ids, TestModels.ones(nd, 3, 7), null);
            assertEquals(new Shape(3, 7, m.config().vocabSize()), logits.getShape());
            assertEquals(DataType.FLOAT32, logits.getDataType());
            assertEquals(nd, logits.getManager());
            for (float f : logits.toFloatArray()) {
                assertTrue(Float.isFinite(f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void changingALaterTokenNeverChangesAnEarlierLogit(String name) {
        CausalLM m = model(name);
        int t = 12;
        int vocab = m.config().vocabSize();
        Random rng = new Random(name.hashCode());
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            for (int trial = 0; trial < 8; trial++) {
                long[][] ids = TestModels.randomTokens(rng, 1, t, vocab);
                int changed = rng.nextInt(t);
                long[][] other = {ids[0].clone()};
                other[0][changed] = (ids[0][changed] + 1 + rng.nextInt(vocab - 1)) % vocab;
                NDArray mask = TestModels.ones(nd, 1, t);
                float[] a = m.forward(nd.create(ids), mask, null).toFloatArray();
                float[] b = m.forward(nd.create(other), mask, null).toFloatArray();
                int prefix = changed * vocab;
                float before = TestModels.maxAbsDiff(Arrays.copyOf(a, prefix), Arrays.copyOf(b, prefix));
                assertTrue(before <= 1e-6f, "earlier logits moved by " + before);
                float at = TestModels.maxAbsDiff(
                        Arrays.copyOfRange(a, prefix, prefix + vocab),
                        Arrays.copyOfRange(b, prefix, prefix + vocab));
                assertTrue(at > 1e-4f, "the changed position's own logits must move");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void kvCacheDecodingEqualsTheFullForwardPass(String name) {
        CausalLM m = model(name);
        int t = 14;
        int prefill = 5;
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            long[][] ids = TestModels.randomTokens(new Random(3), 2, t, m.config().vocabSize());
            NDArray all = nd.create(ids);
            // the full pass takes the elementwise rotary path (as long training sequences do),
            // decoding the per-position-matrix path (as the sampler does)
            long limit = CausalLM.ropeMatrixLimit;
            CausalLM.ropeMatrixLimit = 0;
            float[] full;
            try {
                full = m.forward(all, TestModels.ones(nd, 2, t), null).toFloatArray();
            } finally {
                CausalLM.ropeMatrixLimit = limit;
            }
            int v = m.config().vocabSize();
            try (KvCache cache = m.newCache(2, t + 2, nd)) {
                NDArray first = all.get(new NDIndex(":, :{}", prefill));
                float[] pre = m.forward(first, TestModels.ones(nd, 2, prefill), cache).toFloatArray();
                assertEquals(prefill, cache.length());
                for (int r = 0; r < 2; r++) {
                    for (int p = 0; p < prefill; p++) {
                        assertClose(full, (r * t + p) * v, pre, (r * prefill + p) * v, v, 1e-5f);
                    }
                }
                for (int p = prefill; p < t; p++) {
                    NDArray step = all.get(new NDIndex(":, {}:{}", p, p + 1));
                    float[] got = m.forward(step, TestModels.ones(nd, 2, p + 1), cache).toFloatArray();
                    for (int r = 0; r < 2; r++) {
                        assertClose(full, (r * t + p) * v, got, r * v, v, 1e-5f);
                    }
                }
                assertEquals(t, cache.length());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void paddedBatchesEqualUnbatchedSequences(String name) {
        CausalLM m = model(name);
        int v = m.config().vocabSize();
        int[] lengths = {9, 4, 6, 1};
        int max = 9;
        Random rng = new Random(5);
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            long[][] seqs = new long[lengths.length][];
            float[][] alone = new float[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                seqs[i] = TestModels.randomTokens(rng, 1, lengths[i], v)[0];
                alone[i] = m.forward(nd.create(new long[][] {seqs[i]}),
                        TestModels.ones(nd, 1, lengths[i]), null).toFloatArray();
            }
            for (boolean left : new boolean[] {true, false}) {
                long[][] ids = new long[lengths.length][max];
                long[][] mask = new long[lengths.length][max];
                for (int i = 0; i < lengths.length; i++) {
                    int off = left ? max - lengths[i] : 0;
                    Arrays.fill(ids[i], v - 1); // pads hold a real token id: the mask must hide it
                    System.arraycopy(seqs[i], 0, ids[i], off, lengths[i]);
                    Arrays.fill(mask[i], off, off + lengths[i], 1L);
                }
                float[] batch = m.forward(nd.create(ids), nd.create(mask), null).toFloatArray();
                for (int i = 0; i < lengths.length; i++) {
                    int off = left ? max - lengths[i] : 0;
                    for (int p = 0; p < lengths[i]; p++) {
                        assertClose(alone[i], p * v, batch, (i * max + off + p) * v, v, 1e-5f);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void leftPaddedCachedDecodingWithDroppedRowsEqualsUnbatched(String name) {
        CausalLM m = model(name);
        int v = m.config().vocabSize();
        int[] prompt = {3, 6, 2};
        int steps = 4;
        int max = 6;
        Random rng = new Random(9);
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            long[][] seqs = new long[3][];
            float[][] alone = new float[3][];
            for (int i = 0; i < 3; i++) {
                seqs[i] = TestModels.randomTokens(rng, 1, prompt[i] + steps, v)[0];
                alone[i] = m.forward(nd.create(new long[][] {seqs[i]}),
                        TestModels.ones(nd, 1, seqs[i].length), null).toFloatArray();
            }
            long[][] ids = new long[3][max];
            long[][] mask = new long[3][max + steps];
            for (int i = 0; i < 3; i++) {
                int off = max - prompt[i];
                System.arraycopy(seqs[i], 0, ids[i], off, prompt[i]);
                Arrays.fill(mask[i], off, max + steps, 1L);
            }
            try (KvCache cache = m.newCache(3, max + steps, nd)) {
                float[] pre = m.forward(nd.create(ids), nd.create(mask).get(new NDIndex(":, :{}", max)), cache)
                        .toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertClose(alone[i], (prompt[i] - 1) * v, pre, (i * max + max - 1) * v, v, 1e-5f);
                }
                int[] rows = {0, 1, 2};
                for (int s = 0; s < steps; s++) {
                    if (s == 2) { // row 1 finished: drop it from cache and mask
                        rows = new int[] {0, 2};
                        cache.keepRows(new int[] {0, 2});
                    }
                    long[][] step = new long[rows.length][1];
                    long[][] stepMask = new long[rows.length][];
                    for (int j = 0; j < rows.length; j++) {
                        step[j][0] = seqs[rows[j]][prompt[rows[j]] + s];
                        stepMask[j] = Arrays.copyOf(mask[rows[j]], max + s + 1);
                    }
                    float[] got = m.forward(nd.create(step), nd.create(stepMask), cache).toFloatArray();
                    for (int j = 0; j < rows.length; j++) {
                        assertClose(alone[rows[j]], (prompt[rows[j]] + s) * v, got, j * v, v, 1e-5f);
                    }
                }
                assertEquals(2, cache.batch());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void badShapesAreClearErrors(String name) {
        CausalLM m = model(name);
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            NDArray ids = nd.create(new long[][] {{1, 2, 3}});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(ids, TestModels.ones(nd, 1, 2), null));
            assertTrue(e.getMessage().contains("attentionMask"), e.getMessage());
            try (KvCache cache = m.newCache(1, 4, nd)) {
                m.forward(ids, TestModels.ones(nd, 1, 3), cache);
                assertThrows(IllegalStateException.class,
                        () -> m.forward(ids, TestModels.ones(nd, 1, 6), cache));
            }
        }
    }

    static void assertClose(float[] expected, int eOff, float[] actual, int aOff, int n, float tol) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(expected[eOff + i] - actual[aOff + i]));
        }
        assertTrue(max <= tol, "max abs difference " + max + " > " + tol);
    }
}
