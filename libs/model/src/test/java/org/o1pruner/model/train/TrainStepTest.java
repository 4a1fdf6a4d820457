package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainStepTest {
    private static final float[][] X = TinyNet.features(7, 32);
    private static final int[] Y = TinyNet.labels(7, 32);

    private record Batch(float[][] x, int[] y) {}

    private static List<Batch> split(int parts, int stepIndex) {
        // a different 8-example window per step, split into `parts` equal micro-batches
        int from = (stepIndex * 8) % 32;
        List<Batch> out = new ArrayList<>();
        int size = 8 / parts;
        for (int i = 0; i < parts; i++) {
            out.add(new Batch(TinyNet.slice(X, from + i * size, from + (i + 1) * size),
                    TinyNet.slice(Y, from + i * size, from + (i + 1) * size)));
        }
        return out;
    }

    private static TrainStep.Result run(TrainStep step, TinyNet net, int parts, int stepIndex) {
        return step.step(split(parts, stepIndex), (scope, b) -> net.loss(scope, b.x(), b.y()));
    }

    private static TrainStep newStep(TinyNet net, ParameterFilter filter) {
        return TrainStep.builder()
                .setParameters(net.params)
                .setSchedule(new CosineSchedule(1e-2, 20, 0.1))
                .optFilter(filter)
                .optMaxGradNorm(1.0)
                .build();
    }

    @Test
    void accumulatedMicroBatchesEqualOneBigBatch() {
        try (TinyNet big = new TinyNet(11); TinyNet acc = new TinyNet(11);
                TrainStep bigStep = newStep(big, ParameterFilter.all())) {
            List<TrainStep.Result> bigResults = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bigResults.add(run(bigStep, big, 1, i));
            }
            bigStep.close();
            try (TrainStep accStep = newStep(acc, ParameterFilter.all())) {
                for (int i = 0; i < 4; i++) {
                    TrainStep.Result r = run(accStep, acc, 4, i);
                    assertEquals(bigResults.get(i).gradNorm(), r.gradNorm(), 1e-5 * r.gradNorm(), "grad norm, step " + i);
                    assertEquals(bigResults.get(i).loss(), r.loss(), 1e-5, "loss, step " + i);
                    assertEquals(bigResults.get(i).lr(), r.lr(), 0);
                }
            }
            for (String n : TinyNet.NAMES) {
                assertArrayEquals(big.flat(n), acc.flat(n), 2e-5f, n);
            }
        }
    }

    @Test
    void microBatchesOnSeveralThreadsTrainLikeOneThread() {
        for (int parts : new int[] {2, 4}) {
            try (TinyNet serial = new TinyNet(13); TinyNet parallel = new TinyNet(13);
                    TrainStep serialStep = newStep(serial, ParameterFilter.all());
                    TrainStep parallelStep = TrainStep.builder().setParameters(parallel.params)
                            .setSchedule(new CosineSchedule(1e-2, 20, 0.1)).optMaxGradNorm(1.0)
                            .optParallelism(2).build()) {
                for (int i = 0; i < 4; i++) {
                    TrainStep.Result a = run(serialStep, serial, parts, i);
                    TrainStep.Result b = run(parallelStep, parallel, parts, i);
                    assertEquals(a.loss(), b.loss(), 1e-6, "loss, step " + i);
                    assertEquals(a.gradNorm(), b.gradNorm(), 1e-5 * a.gradNorm(), "grad norm, step " + i);
                }
                for (String n : TinyNet.NAMES) {
                    if (parts == 2) {
                        // two gradients summed into zeroed ones: the order cannot change a bit
                        assertArrayEquals(serial.flat(n), parallel.flat(n), n);
                    } else {
                        assertArrayEquals(serial.flat(n), parallel.flat(n), 1e-5f, n);
                    }
                }
            }
        }
    }

    @Test
    void aFailingMicroBatchOnAThreadFailsTheStepAndLeavesNoGradient() {
        try (TinyNet net = new TinyNet(3); TrainStep step = TrainStep.builder().setParameters(net.params)
                .setSchedule(new CosineSchedule(1e-2, 20, 0.1)).optParallelism(2).build()) {
            float[] before = net.flat("lm_head.weight");
            int[] calls = {0};
            assertThrows(IllegalStateException.class, () -> step.step(split(2, 0), (scope, b) -> {
                synchronized (calls) {
                    if (calls[0]++ == 1) {
                        throw new IllegalStateException("boom");
                    }
                }
                return net.loss(scope, b.x(), b.y());
            }));
            assertArrayEquals(before, net.flat("lm_head.weight"), "no update");
            TrainStep.Result next = run(step, net, 2, 1);
            assertTrue(next.applied());
            assertEquals(1, next.step());
        }
    }

    @Test
    void frozenParametersNeverChange() {
        try (TinyNet net = new TinyNet(5)) {
            float[] embed = net.flat("model.embed_tokens.weight");
            float[] layer0 = net.flat("model.layers.0.mlp.up_proj.weight");
            float[] layer1 = net.flat("model.layers.1.mlp.up_proj.weight");
            float[] head = net.flat("lm_head.weight");
            try (TrainStep step = newStep(net, ParameterFilter.lastLayers(1, 2))) {
                assertEquals(List.of("model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.up_proj.bias"),
                        new ArrayList<>(step.trainable().keySet()));
                for (int i = 0; i < 3; i++) {
                    run(step, net, 2, i);
                }
            }
            assertArrayEquals(embed, net.flat("model.embed_tokens.weight"), 0f);
            assertArrayEquals(layer0, net.flat("model.layers.0.mlp.up_proj.weight"), 0f);
            assertArrayEquals(head, net.flat("lm_head.weight"), 0f);
            assertFalse(java.util.Arrays.equals(layer1, net.flat("model.layers.1.mlp.up_proj.weight")));
            assertFalse(net.params.get("model.layers.0.mlp.up_proj.weight").hasGradient());
        }
    }

    @Test
    void resumingFromSavedStateIsBitIdentical(@TempDir Path dir) throws Exception {
        byte[] straight;
        byte[] checkpoint;
        try (TinyNet net = new TinyNet(9); TrainStep step = newStep(net, ParameterFilter.all())) {
            for (int i = 0; i < 3; i++) {
                run(step, net, 2, i);
            }
            checkpoint = net.save();
            step.save(dir);
            for (int i = 3; i < 6; i++) {
                run(step, net, 2, i);
            }
            straight = net.save();
        }
        try (TinyNet net = TinyNet.restore(checkpoint); TrainStep step = newStep(net, ParameterFilter.all())) {
            step.load(dir);
            assertEquals(3, step.stepCount());
            for (int i = 3; i < 6; i++) {
                run(step, net, 2, i);
            }
            assertArrayEquals(straight, net.save(), "parameters after resuming differ from an uninterrupted run");
        }
    }

    @Test
    void lossGoesDown() {
        try (TinyNet net = new TinyNet(1);
                TrainStep step = TrainStep.builder().setParameters(net.params)
                        .setSchedule(LrSchedule.constant(3e-2)).build()) {
            double first = run(step, net, 1, 0).loss();
            TrainStep.Result last = null;
            for (int i = 0; i < 60; i++) {
                last = run(step, net, 1, 0);
            }
            assertTrue(last.loss() < first * 0.5, "loss " + first + " -> " + last.loss());
            assertEquals(61, step.stepCount());
        }
    }

    @Test
    void rejectsAFilterThatFreezesEverythingAndNonScalarLosses() {
        try (TinyNet net = new TinyNet(1)) {
            assertThrows(IllegalArgumentException.class, () -> newStep(net, ParameterFilter.matching("nothing")));
            try (TrainStep step = newStep(net, ParameterFilter.all())) {
                assertThrows(IllegalArgumentException.class, () -> step.step(List.of(1),
                        (scope, b) -> net.labelLogProbs(scope, X, Y)));
                assertThrows(IllegalArgumentException.class, () -> step.step(List.of(), (scope, b) -> (NDArray) null));
            }
        }
    }
}
