package org.o1pruner.model.train;

import ai.djl.ndarray.NDArray;
import org.o1pruner.model.GradMode;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * Global-norm gradient clipping: all gradients are scaled by one factor so that their joint L2 norm
 * is at most a bound (the paper clips at 10).
 *
 * <p>DJL's own {@code clipGrad} clips element-wise, which changes the direction of the update; this
 * keeps the direction, as {@code torch.nn.utils.clip_grad_norm_} does (same formula, same 1e-6 guard).
 */
public final class GradClip {
    private GradClip() {}

    /**
     * The joint L2 norm of the gradients of {@code params}; parameters without a gradient count as 0.
     */
    public static double norm(Collection<NDArray> params) {
        return clip(params, Double.POSITIVE_INFINITY);
    }

    /**
     * Scales the gradients of {@code params} in place so that their joint L2 norm is at most
     * {@code maxNorm}, and returns the norm before clipping. A non-finite norm is returned without
     * touching the gradients, so the caller can skip the update.
     *
     * @param maxNorm the bound, {@code > 0}; {@code +inf} only measures
     */
    public static double globalNorm(Collection<NDArray> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        return clip(params, maxNorm);
    }

    /** Multiplies the gradients of {@code params} by {@code factor} in place (e.g. to undo loss scaling). */
    public static void scale(Collection<NDArray> params, double factor) {
        if (params.isEmpty()) {
            return;
        }
        try (GradMode.Scope off = GradMode.disabled();
                NDManager scope = NDManager.newBaseManager(params.iterator().next().getDevice())) {
            for (NDArray p : params) {
                NDArray g = Gradients.of(p, scope);
                if (g != null) {
                    g.muli((float) factor);
                }
            }
        }
    }

    private static double clip(Collection<NDArray> params, double maxNorm) {
        if (params.isEmpty()) {
            return 0.0;
        }
        NDArray first = params.iterator().next();
        try (GradMode.Scope off = GradMode.disabled();
                NDManager scope = NDManager.newBaseManager(first.getDevice())) {
            NDList grads = new NDList();
            NDList norms = new NDList();
            for (NDArray p : params) {
                NDArray g = Gradients.of(p, scope);
                if (g != null) {
                    grads.add(g);
                    NDArray n = g.norm();
                    n.attach(scope);
                    norms.add(n.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32
                            ? n : n.toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
                }
            }
            if (norms.isEmpty()) {
                return 0.0;
            }
            NDArray total = norms.size() == 1 ? norms.get(0) : NDArrays.stack(norms).norm();
            total.attach(scope);
            double totalNorm = total.getFloat();
            if (!Double.isFinite(totalNorm) || Double.isInfinite(maxNorm)) {
                return totalNorm;
            }
            double coef = maxNorm / (totalNorm + 1e-6);
            if (coef < 1.0) {
                for (NDArray g : grads) {
                    g.muli((float) coef);
                }
            }
            return totalNorm;
        }
    }
}
