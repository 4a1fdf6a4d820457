package org.o1pruner.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One optimizer step over one or more micro-batches: forward and backward per micro-batch
 * (gradients accumulate), global-norm clipping, the scheduled learning rate, an AdamW update and
 * zeroed gradients.
 *
 * <p>Gradient accumulation: each micro-batch's loss is divided by the number of micro-batches, so
 * that {@code n} micro-batches of equal size give the gradient of their mean loss, the same as one
 * batch {@code n} times as large. Each micro-batch runs in its own {@link NDManager} scope that is
 * closed after its backward pass, so activations never outlive it.
 *
 * <p>Freezing: at construction every parameter the {@link ParameterFilter} rejects loses its
 * gradient and is never touched again; the others get one.
 *
 * <p>A step whose gradient norm is not finite is skipped (no update, gradients zeroed), and counted.
 * Mixed precision: parameters in float16 are updated through float32 master weights by
 * {@link AdamW}, and a {@link LossScaler} keeps their gradients from underflowing.
 * Only one {@code TrainStep} may run at a time in a process (DJL allows one gradient collector).
 */
public final class TrainStep implements AutoCloseable {

    /** Computes the scalar loss of one micro-batch; arrays it creates should live in {@code scope}. */
    @FunctionalInterface
    public interface MicroLoss<B> {
        NDArray compute(NDManager scope, B microBatch);
    }

    /**
     * What one step did.
     *
     * @param step optimizer steps completed after this one
     * @param loss mean of the micro-batch losses
     * @param gradNorm global gradient norm before clipping
     * @param lr learning rate used (0 if skipped)
     * @param applied false when the step was skipped for a non-finite gradient norm
     */
    public record Result(long step, double loss, double gradNorm, double lr, boolean applied) {}

    private final Map<String, NDArray> trainable;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final LossScaler scaler;
    private long skipped;

    private TrainStep(Builder b) {
        Map<String, NDArray> all = Objects.requireNonNull(b.parameters, "setParameters is required");
        Objects.requireNonNull(b.schedule, "setSchedule is required");
        Map<String, NDArray> selected = new LinkedHashMap<>();
        all.forEach((name, p) -> {
            boolean trains = b.filter.trains(name);
            p.setRequiresGradient(trains);
            if (trains) {
                selected.put(name, p);
            }
        });
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("the parameter filter freezes all " + all.size() + " parameters");
        }
        this.trainable = Collections.unmodifiableMap(selected);
        this.optimizer = new AdamW(trainable, b.adamW);
        this.schedule = b.schedule;
        this.maxGradNorm = b.maxGradNorm;
        this.scaler = b.scaler;
        optimizer.zeroGradients();
    }

    /** A builder: {@code setParameters} and {@code setSchedule} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one optimizer step over {@code microBatches}.
     *
     * @throws IllegalArgumentException when {@code microBatches} is empty
     */
    public <B> Result step(List<B> microBatches, MicroLoss<B> loss) {
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one micro-batch");
        }
        NDArray any = trainable.values().iterator().next();
        double lossScale = scaler.scale();
        float scale = (float) (lossScale / microBatches.size());
        double lossSum = 0;
        for (B batch : microBatches) {
            try (NDManager scope = NDManager.newBaseManager(any.getDevice());
                    GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = loss.compute(scope, batch);
                if (l.getShape().size() != 1) {
                    throw new IllegalArgumentException("a micro-batch loss must be a scalar, got shape " + l.getShape());
                }
                collector.backward(l.mul(scale));
                lossSum += l.getFloat();
            }
        }
        if (lossScale != 1.0) {
            GradClip.scale(trainable.values(), 1.0 / lossScale);
        }
        double norm = Double.isFinite(maxGradNorm)
                ? GradClip.globalNorm(trainable.values(), maxGradNorm)
                : GradClip.norm(trainable.values());
        boolean apply = Double.isFinite(norm);
        scaler.update(apply);
        double lr = 0;
        if (apply) {
            lr = schedule.lr(optimizer.stepCount());
            optimizer.step(lr);
        } else {
            skipped++;
        }
        optimizer.zeroGradients();
        return new Result(optimizer.stepCount(), lossSum / microBatches.size(), norm, lr, apply);
    }

    /** The trained parameters by name (the frozen ones are not in it). */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** The optimizer (for its state). */
    public AdamW optimizer() {
        return optimizer;
    }

    /** Optimizer steps applied so far. */
    public long stepCount() {
        return optimizer.stepCount();
    }

    /** Steps skipped because of a non-finite gradient norm. */
    public long skippedSteps() {
        return skipped;
    }

    /** The loss scaler (its current scale). */
    public LossScaler lossScaler() {
        return scaler;
    }

    /** Saves the optimizer state into {@code dir} (see {@link AdamW#save(Path)}). */
    public void save(Path dir) throws IOException {
        optimizer.save(dir);
    }

    /** Restores the optimizer state from {@code dir} (see {@link AdamW#load(Path)}). */
    public void load(Path dir) throws IOException {
        optimizer.load(dir);
    }

    @Override
    public void close() {
        optimizer.close();
    }

    /** Builder of {@link TrainStep}. */
    public static final class Builder {
        private Map<String, NDArray> parameters;
        private LrSchedule schedule;
        private ParameterFilter filter = ParameterFilter.all();
        private AdamW.Settings adamW = AdamW.Settings.defaults();
        private double maxGradNorm = 10.0;
        private LossScaler scaler = LossScaler.none();

        private Builder() {}

        /** Loss scaling for float16 parameters (default: none). */
        public Builder optLossScaler(LossScaler scaler) {
            this.scaler = Objects.requireNonNull(scaler, "scaler");
            return this;
        }

        /** All parameters of the model by name; the filter decides which are trained. */
        public Builder setParameters(Map<String, NDArray> parameters) {
            this.parameters = parameters;
            return this;
        }

        /** The learning-rate schedule. */
        public Builder setSchedule(LrSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Which parameters are trained (default: all). */
        public Builder optFilter(ParameterFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** AdamW hyper-parameters (default: torch's, weight decay 0.01). */
        public Builder optAdamW(AdamW.Settings settings) {
            this.adamW = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Global gradient-norm bound (default 10, the paper's); {@code +inf} disables clipping. */
        public Builder optMaxGradNorm(double maxGradNorm) {
            if (!(maxGradNorm > 0)) {
                throw new IllegalArgumentException("maxGradNorm must be > 0, got " + maxGradNorm);
            }
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** Builds the step (attaches gradients to the trained parameters). */
        public TrainStep build() {
            return new TrainStep(this);
        }
    }
}
