package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Forward passes on several threads at once give what they give one at a time (with and without autograd). */
class ConcurrentForwardTest {

    @BeforeAll
    static void load() {
        ai.djl.engine.Engine.getEngine("PyTorch");
    }

    private static float[] forward(CausalLM model, long[][] ids, boolean grad) {
        try (GradMode.Scope s = grad ? GradMode.enabled() : GradMode.disabled(); NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.create(ids);
            return model.forward(input, TestModels.ones(m, ids.length, ids[0].length), null).toFloatArray();
        }
    }

    @Test
    void concurrentForwardPassesMatchSequentialOnes() throws Exception {
        for (boolean grad : new boolean[] {false, true}) {
            try (CausalLM model = TestModels.perturbed(TestModels.qwenGqa(), 21)) {
                if (grad) {
                    model.parameters().values().forEach(p -> p.setRequiresGradient(true));
                }
                Random rng = new Random(4);
                List<long[][]> inputs = new ArrayList<>();
                List<float[]> expected = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    long[][] ids = TestModels.randomTokens(rng, 3, 17, model.config().vocabSize());
                    inputs.add(ids);
                    expected.add(forward(model, ids, grad));
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    for (int round = 0; round < 5; round++) {
                        List<Future<float[]>> got = new ArrayList<>();
                        for (long[][] ids : inputs) {
                            got.add(pool.submit(() -> forward(model, ids, grad)));
                        }
                        for (int i = 0; i < inputs.size(); i++) {
                            float d = TestModels.maxAbsDiff(expected.get(i), got.get(i).get());
                            assertTrue(d < 1e-5f, "grad " + grad + " input " + i + " round " + round + ": max |Δ| " + d);
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }
}
