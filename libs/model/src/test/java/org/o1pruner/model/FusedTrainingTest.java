package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fused training pass gives autograd's loss and gradients. */
class FusedTrainingTest {

    private static ModelConfig config(boolean tied, int kvHeads) {
        return ModelConfig.builder().setArchitecture(ModelConfig.QWEN2).setVocabSize(61).setHiddenSize(32)
                .setIntermediateSize(48).setNumLayers(2).setNumHeads(4).optNumKvHeads(kvHeads).optAttentionBias(true)
                .optTieWordEmbeddings(tied).optRmsNormEps(1e-6).optRopeTheta(10000).optMaxPositionEmbeddings(160)
                .optEosTokenIds(List.of(60)).build();
    }

    private static int len = 9;

    /** ids and mask [3, len]: row 0 full, row 1 right-padded, row 2 left-padded (per {@code padding}). */
    private static long[][] batch(boolean padding) {
        Random r = new Random(3);
        long[] ids = new long[3 * len];
        long[] mask = new long[3 * len];
        for (int i = 0; i < 3 * len; i++) {
            ids[i] = r.nextInt(61);
            mask[i] = 1;
        }
        if (padding) {
            for (int j = len * 2 / 3; j < len; j++) {
                mask[len + j] = 0;
            }
            for (int j = 0; j < len / 2; j++) {
                mask[2 * len + j] = 0;
            }
        }
        return new long[][] {ids, mask};
    }

    /** A loss that uses logits at real positions only (as every training loss does). */
    private static NDArray loss(CausalLM model, NDManager m, long[][] batch) {
        NDArray ids = m.create(batch[0], new Shape(3, len));
        NDArray mask = m.create(batch[1], new Shape(3, len));
        long[] targets = new long[3 * len];
        float[] weights = new float[3 * len];
        for (int i = 0; i < 3 * len; i++) {
            targets[i] = (batch[0][i] * 7 + 3) % 61;
            weights[i] = batch[1][i] == 1 ? 1f + (i % 5) * 0.25f : 0f;
        }
        NDArray logits = model.forward(ids, mask, null);
        NDArray logp = logits.logSoftmax(-1).gather(m.create(targets, new Shape(3, len, 1)), -1).reshape(3, len);
        return logp.mul(m.create(weights, new Shape(3, len))).sum().neg();
    }

    private static Map<String, float[]> gradients(CausalLM model, long[][] batch, boolean fused, Set<String> frozen,
            float[] lossOut) {
        Engine.getEngine("PyTorch");
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            e.getValue().setRequiresGradient(!frozen.contains(e.getKey()));
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            if (fused) {
                try (FusedTraining.Scope scope = FusedTraining.open();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray l = loss(model, m, batch);
                    assertEquals(1, scope.passes(), "the forward ran fused");
                    lossOut[0] = l.getFloat();
                    gc.backward(l);
                    scope.backward();
                }
            } else {
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray l = loss(model, m, batch);
                    lossOut[0] = l.getFloat();
                    gc.backward(l);
                }
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray p = e.getValue();
            float[] g = null;
            if (p.hasGradient()) {
                try (NDArray grad = p.getGradient()) {
                    g = grad.toFloatArray();
                } catch (RuntimeException undefined) {
                    g = null;
                }
            }
            out.put(e.getKey(), g);
        }
        return out;
    }

    @ParameterizedTest(name = "tied {0}, kv heads {1}, padding {2}, length {3}")
    @CsvSource({"false, 2, false, 9", "false, 2, true, 9", "true, 4, true, 9", "false, 1, true, 9",
        "false, 2, false, 40", "false, 2, true, 47", "true, 1, true, 133"})
    void gradientsMatchAutograd(boolean tied, int kvHeads, boolean padding, int length) {
        len = length; // 9: one attention block; 40 and 47: two; 133: four of unequal length
        long[][] batch = batch(padding);
        try (CausalLM ref = CausalLM.random(config(tied, kvHeads), 5, Device.cpu());
                CausalLM fast = CausalLM.random(config(tied, kvHeads), 5, Device.cpu())) {
            float[] refLoss = new float[1];
            float[] fastLoss = new float[1];
            Map<String, float[]> expected = gradients(ref, batch, false, Set.of(), refLoss);
            Map<String, float[]> actual = gradients(fast, batch, true, Set.of(), fastLoss);
            assertEquals(refLoss[0], fastLoss[0], 1e-4 * Math.abs(refLoss[0]), "loss");
            for (String name : expected.keySet()) {
                float[] e = expected.get(name);
                float[] a = actual.get(name);
                assertTrue(e != null && a != null, name + " has a gradient on both paths");
                double scale = 0;
                for (float v : e) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-4 * scale + 1e-7, name + "[" + i + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "frozen up to layer {0}")
    @CsvSource({"0", "1"})
    void frozenParametersGetNoGradientAndTheRestMatch(int frozenLayers) {
        len = 9;
        long[][] batch = batch(true);
        Set<String> frozen = new java.util.HashSet<>(Set.of("model.embed_tokens.weight"));
        for (int l = 0; l <= frozenLayers - 1; l++) {
            for (String n : CausalLM.expectedShapes(config(false, 2)).keySet()) {
                if (n.startsWith("model.layers." + l + ".")) {
                    frozen.add(n);
                }
            }
        }
        try (CausalLM ref = CausalLM.random(config(false, 2), 9, Device.cpu());
                CausalLM fast = CausalLM.random(config(false, 2), 9, Device.cpu())) {
            float[] loss = new float[1];
            Map<String, float[]> expected = gradients(ref, batch, false, frozen, loss);
            Map<String, float[]> actual = gradients(fast, batch, true, frozen, loss);
            for (String name : expected.keySet()) {
                if (frozen.contains(name)) {
                    assertNull(actual.get(name), name + " is frozen");
                    continue;
                }
                float[] e = expected.get(name);
                float[] a = actual.get(name);
                double scale = 0;
                for (float v : e) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-4 * scale + 1e-7, name + "[" + i + "]");
                }
            }
        }
    }
}
