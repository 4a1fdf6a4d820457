package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick engine throughput probe on a toy-world-sized model (6 layers, width 128), run only on
 * request: {@code -DargLine=-Do1p.bench=true}. Prints tokens per second; asserts nothing about
 * speed (the shared machine's load varies), only that the numbers are finite.
 */
@EnabledIfSystemProperty(named = "o1p.bench", matches = "true")
class ForwardThroughputTest {

    static ModelConfig toySized() {
        return ModelConfig.builder().setVocabSize(64).setHiddenSize(128).setIntermediateSize(384)
                .setNumLayers(6).setNumHeads(4).optNumKvHeads(4).optMaxPositionEmbeddings(512)
                .build();
    }

    @Test
    void throughput() {
        int threads = Integer.getInteger("o1p.threads", 2);
        GradMode.setIntraOpThreads(threads);
        try (CausalLM m = CausalLM.random(toySized(), 1, Device.cpu());
                NDManager nd = NDManager.newBaseManager()) {
            Random rng = new Random(1);
            int b = 16;
            int t = 128;
            NDArray ids = nd.create(TestModels.randomTokens(rng, b, t, 64));
            NDArray mask = TestModels.ones(nd, b, t);
            try (GradMode.Scope g = GradMode.disabled()) {
                for (int i = 0; i < 2; i++) {
                    try (NDManager s = nd.newSubManager()) {
                        m.forward(ids, mask, null).close();
                    }
                }
                long start = System.nanoTime();
                int reps = 5;
                for (int i = 0; i < reps; i++) {
                    m.forward(ids, mask, null).close();
                }
                double sec = (System.nanoTime() - start) / 1e9;
                System.out.printf("forward B=%d T=%d threads=%d: %.0f tokens/s%n", b, t, threads,
                        reps * b * t / sec);
            }
            m.parameters().values().forEach(p -> p.setRequiresGradient(true));
            long start = System.nanoTime();
            int reps = 3;
            for (int i = 0; i < reps; i++) {
                try (NDManager s = nd.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = m.forward(ids, mask, null);
                    gc.backward(logits.logSoftmax(-1).mean());
                }
            }
            double sec = (System.nanoTime() - start) / 1e9;
            System.out.printf("forward+backward B=%d T=%d threads=%d: %.0f tokens/s%n", b, t, threads,
                    reps * b * t / sec);
            m.parameters().values().forEach(p -> p.setRequiresGradient(false));
            for (int round = 0; round < 2; round++) {
                for (long limit : new long[] {0, 1L << 20}) {
                    CausalLM.ropeMatrixLimit = limit;
                    System.out.print(limit == 0 ? "[rope elementwise] " : "[rope matrix] ");
                    decode(m, nd, 1, threads);
                    System.out.print(limit == 0 ? "[rope elementwise] " : "[rope matrix] ");
                    decode(m, nd, 16, threads);
                }
            }
            CausalLM.ropeMatrixLimit = 1L << 20;
        }
    }

    private static void decode(CausalLM m, NDManager nd, int b, int threads) {
        int prompt = 16;
        int steps = 96;
        try (GradMode.Scope g = GradMode.disabled();
                NDManager s = nd.newSubManager();
                KvCache cache = m.newCache(b, prompt + steps, s)) {
            long[][] ids = TestModels.randomTokens(new Random(2), b, prompt, 64);
            m.forward(s.create(ids), TestModels.ones(s, b, prompt), cache);
            NDArray fullMask = TestModels.ones(s, b, prompt + steps);
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long[][] next = new long[b][1];
            for (int i = 0; i < steps - 1; i++) {
                try (NDManager step = s.newSubManager()) {
                    NDArray mask = fullMask.get(new ai.djl.ndarray.index.NDIndex(":, :{}", prompt + i + 1));
                    NDArray logits = m.forward(step.create(next), mask, cache);
                    logits.argMax(-1).toLongArray();
                }
            }
            double sec = (System.nanoTime() - start) / 1e9;
            double cpuSec = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("decode B=%d threads=%d: %.0f tokens/s (%.2f ms/step wall, %.2f ms/step"
                    + " on-thread CPU)%n", b, threads, b * (steps - 1) / sec, 1000 * sec / (steps - 1),
                    1000 * cpuSec / (steps - 1));
        }
    }
}
