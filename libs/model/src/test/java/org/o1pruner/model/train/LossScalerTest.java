package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void halvesOnOverflowAndDoublesAfterAnIntervalOfGoodSteps() {
        LossScaler s = LossScaler.dynamic(1024, 3);
        s.update(false);
        assertEquals(512, s.scale());
        s.update(true);
        s.update(true);
        assertEquals(512, s.scale());
        s.update(true);
        assertEquals(1024, s.scale());
        LossScaler none = LossScaler.none();
        none.update(false);
        assertEquals(1, none.scale());
        assertFalse(none.enabled());
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(0.5, 3));
        assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(8, 0));
    }

    @Test
    void float16TrainingSkipsOverflowingStepsThenLearns() {
        float[][] x = TinyNet.features(4, 16);
        int[] y = TinyNet.labels(4, 16);
        try (TinyNet net = new TinyNet(8).toHalf();
                TrainStep step = TrainStep.builder().setParameters(net.params)
                        .setSchedule(LrSchedule.constant(3e-2))
                        // 2^20 times a loss near 1.7 overflows float16 (max 65504): the first steps must be skipped
                        .optLossScaler(LossScaler.dynamic(1 << 20, 1000)).build()) {
            float[] before = net.params.get("lm_head.weight").toType(DataType.FLOAT32, false).toFloatArray();
            TrainStep.Result first = step.step(List.of(0), (scope, b) -> net.loss(scope, x, y));
            assertFalse(first.applied());
            assertArrayEquals(before, net.params.get("lm_head.weight").toType(DataType.FLOAT32, false).toFloatArray(), 0f);
            double firstLoss = first.loss();
            TrainStep.Result last = null;
            for (int i = 0; i < 60; i++) {
                last = step.step(List.of(0), (scope, b) -> net.loss(scope, x, y));
            }
            assertTrue(step.skippedSteps() >= 1 && step.skippedSteps() < 20, "skipped " + step.skippedSteps());
            assertTrue(step.lossScaler().scale() < 65504.0 / firstLoss, "scale " + step.lossScaler().scale());
            assertTrue(last.applied());
            assertTrue(last.loss() < firstLoss * 0.7, "loss " + firstLoss + " -> " + last.loss());
            assertEquals(DataType.FLOAT16, net.params.get("lm_head.weight").getDataType());
        }
    }
}
