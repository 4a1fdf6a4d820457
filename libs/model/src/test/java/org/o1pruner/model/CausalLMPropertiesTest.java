package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/** Invariants of the decoder checked over generated inputs. */
class CausalLMPropertiesTest {

    private static final CausalLM MODEL = TestModels.perturbed(TestModels.qwenGqa(), 41);

    @AfterContainer
    static void close() {
        MODEL.close();
    }

    @Property(tries = 15)
    void noLogitDependsOnALaterToken(@ForAll @IntRange(min = 2, max = 16) int length,
            @ForAll @IntRange(min = 0, max = 15) int changedAt, @ForAll long seed) {
        int at = changedAt % length;
        int v = MODEL.config().vocabSize();
        Random rng = new Random(seed);
        long[][] ids = TestModels.randomTokens(rng, 1, length, v);
        long[][] other = {ids[0].clone()};
        other[0][at] = (ids[0][at] + 1 + rng.nextInt(v - 1)) % v;
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            float[] a = MODEL.forward(nd.create(ids), TestModels.ones(nd, 1, length), null).toFloatArray();
            float[] b = MODEL.forward(nd.create(other), TestModels.ones(nd, 1, length), null).toFloatArray();
            float diff = TestModels.maxAbsDiff(Arrays.copyOf(a, at * v), Arrays.copyOf(b, at * v));
            assertTrue(diff <= 1e-6f, "logits before position " + at + " moved by " + diff);
        }
    }

    @Property(tries = 15)
    void paddingNeverChangesARowsLogits(@ForAll @IntRange(min = 1, max = 10) int length,
            @ForAll @IntRange(min = 1, max = 6) int pad, @ForAll boolean left, @ForAll long seed) {
        int v = MODEL.config().vocabSize();
        Random rng = new Random(seed);
        long[] seq = TestModels.randomTokens(rng, 1, length, v)[0];
        long[] padded = new long[length + pad];
        long[] mask = new long[length + pad];
        int off = left ? pad : 0;
        for (int i = 0; i < padded.length; i++) {
            padded[i] = rng.nextInt(v); // arbitrary ids under the padding
        }
        System.arraycopy(seq, 0, padded, off, length);
        Arrays.fill(mask, off, off + length, 1L);
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            float[] alone = MODEL.forward(nd.create(new long[][] {seq}),
                    TestModels.ones(nd, 1, length), null).toFloatArray();
            float[] batch = MODEL.forward(nd.create(new long[][] {padded}),
                    nd.create(new long[][] {mask}), null).toFloatArray();
            float[] real = Arrays.copyOfRange(batch, off * v, (off + length) * v);
            float diff = TestModels.maxAbsDiff(alone, real);
            assertTrue(diff <= 1e-5f, "padding moved logits by " + diff);
        }
    }
}
