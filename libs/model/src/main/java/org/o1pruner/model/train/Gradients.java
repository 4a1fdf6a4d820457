package org.o1pruner.model.train;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Access to the gradient of a parameter, tolerant of parameters the last backward pass did not reach. */
final class Gradients {
    private Gradients() {}

    /**
     * The gradient of {@code param}, attached to {@code scope}, or {@code null} when the parameter
     * does not require a gradient or none has been computed yet.
     */
    static NDArray of(NDArray param, NDManager scope) {
        // not param.getGradient(): DJL answers fresh zeros for a parameter without a gradient,
        // which would make the optimizer move parameters that took no part in the loss
        NDArray g = org.o1pruner.model.FusedTraining.gradientOrNull(param);
        if (g == null) {
            return null;
        }
        g.attach(scope);
        try {
            g.getShape();
        } catch (EngineException | IllegalStateException | NullPointerException e) {
            return null; // undefined tensor: the parameter took no part in the loss
        }
        return g;
    }

    static void zero(NDArray param) {
        if (param.hasGradient()) {
            JniUtils.zeroGrad((PtNDArray) param);
        }
    }
}
