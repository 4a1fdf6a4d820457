package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Analytic gradients of the sequence score (through every part of the decoder) against central
 * finite differences, in float64 on a tiny model.
 */
class GradientCheckTest {

    private static final List<int[]> PROMPTS = List.of(new int[] {3, 9, 14}, new int[] {7});
    private static final List<int[]> RESPONSES = List.of(new int[] {5, 2}, new int[] {11, 60, 4, 33});

    private static double loss(CausalLM m) {
        try (NDManager nd = NDManager.newBaseManager();
                ScoringBatch batch = ScoringBatch.of(PROMPTS, RESPONSES, 0, nd)) {
            NDArray s = new Scorer(m).sequenceScores(batch);
            // weight rows differently so that per-row errors cannot cancel
            return s.toType(DataType.FLOAT64, false).mul(nd.create(new double[] {1.0, -0.7})).sum()
                    .getDouble();
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (CausalLM f32 = TestModels.perturbed(TestModels.qwenGqa(), 31);
                CausalLM m = f32.copy(Device.cpu(), DataType.FLOAT64)) {
            m.parameters().values().forEach(p -> p.setRequiresGradient(true));
            Map<String, double[]> analytic = new java.util.TreeMap<>();
            try (NDManager nd = NDManager.newBaseManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector();
                    ScoringBatch batch = ScoringBatch.of(PROMPTS, RESPONSES, 0, nd)) {
                NDArray s = new Scorer(m).sequenceScores(batch).toType(DataType.FLOAT64, false);
                NDArray weighted = s.mul(nd.create(new double[] {1.0, -0.7})).sum();
                gc.backward(weighted);
                for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
                    analytic.put(e.getKey(), e.getValue().getGradient().toDoubleArray());
                }
            }
            Random rng = new Random(2);
            double h = 1e-5;
            int checked = 0;
            try (GradMode.Scope g = GradMode.disabled()) {
                for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
                    NDArray p = e.getValue();
                    double[] values = p.toDoubleArray();
                    double[] grad = analytic.get(e.getKey());
                    for (int k = 0; k < 1; k++) {
                        int i = rng.nextInt(values.length);
                        double keep = values[i];
                        values[i] = keep + h;
                        p.set(values);
                        double up = loss(m);
                        values[i] = keep - h;
                        p.set(values);
                        double down = loss(m);
                        values[i] = keep;
                        p.set(values);
                        double numeric = (up - down) / (2 * h);
                        double err = Math.abs(numeric - grad[i]);
                        assertTrue(err <= 1e-7 + 1e-5 * Math.abs(numeric), e.getKey() + "[" + i
                                + "]: analytic " + grad[i] + " vs numeric " + numeric);
                        checked++;
                    }
                }
            }
            assertTrue(checked >= m.parameters().size());
        }
    }
}
