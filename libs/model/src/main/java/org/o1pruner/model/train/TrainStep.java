package org.o1pruner.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.o1pruner.model.FusedTraining;
import org.o1pruner.model.GradMode;
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
    private final boolean fusedBackward;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final LossScaler scaler;
    private final java.util.concurrent.ExecutorService pool;
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
        // the update runs between the micro-batch phases: as many threads as those use
        this.optimizer.setThreads(b.parallelism);
        this.optimizer.setFusedKernel(b.fusedOptimizer);
        this.schedule = b.schedule;
        this.maxGradNorm = b.maxGradNorm;
        this.scaler = b.scaler;
        this.fusedBackward = b.fusedBackward;
        this.pool = b.parallelism == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(b.parallelism, r -> {
            Thread t = new Thread(r, "o1p-train-micro-batch");
            t.setDaemon(true);
            return t;
        });
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
        double lossSum = pool != null && microBatches.size() > 1
                ? parallelBackward(microBatches, loss, scale, any.getDevice())
                : serialBackward(microBatches, loss, scale, any.getDevice());
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

    private <B> double serialBackward(List<B> microBatches, MicroLoss<B> loss, float scale, ai.djl.Device device) {
        double lossSum = 0;
        for (B batch : microBatches) {
            try (NDManager scope = NDManager.newBaseManager(device);
                    FusedTraining.Scope fused = fusedScope();
                    GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = checkScalar(loss.compute(scope, batch));
                collector.backward(l.mul(scale));
                if (fused != null) {
                    fused.backward();
                }
                lossSum += l.getFloat();
            }
        }
        return lossSum;
    }

    /**
     * Forward and backward of the micro-batches on the pool's threads. DJL allows one gradient
     * collector per process, so each thread turns recording on for itself and calls libtorch's
     * backward directly; libtorch accumulates into the shared parameter gradients under a lock.
     */
    private <B> double parallelBackward(List<B> microBatches, MicroLoss<B> loss, float scale, ai.djl.Device device) {
        List<java.util.concurrent.Future<Double>> parts = new java.util.ArrayList<>(microBatches.size());
        for (B batch : microBatches) {
            parts.add(pool.submit(() -> {
                try (GradMode.Scope on = GradMode.enabled(); NDManager scope = NDManager.newBaseManager(device);
                        FusedTraining.Scope fused = fusedScope()) {
                    NDArray l = checkScalar(loss.compute(scope, batch));
                    NDArray scaled = l.mul(scale);
                    NDArray seed = scope.ones(scaled.getShape(), scaled.getDataType());
                    ai.djl.pytorch.jni.JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) scaled,
                            (ai.djl.pytorch.engine.PtNDArray) seed, false, false);
                    if (fused != null) {
                        fused.backward();
                    }
                    return (double) l.getFloat();
                }
            }));
        }
        double lossSum = 0;
        RuntimeException failure = null;
        for (java.util.concurrent.Future<Double> f : parts) {
            try {
                lossSum += f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted during a training step", e);
            }
        }
        if (failure != null) {
            optimizer.zeroGradients();
            throw failure;
        }
        return lossSum;
    }

    /** A fused-training scope for one micro-batch, or {@code null} when this step records everything. */
    private FusedTraining.Scope fusedScope() {
        return fusedBackward ? FusedTraining.open() : null;
    }

    private static NDArray checkScalar(NDArray l) {
        if (l.getShape().size() != 1) {
            throw new IllegalArgumentException("a micro-batch loss must be a scalar, got shape " + l.getShape());
        }
        return l;
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
        if (pool != null) {
            pool.shutdownNow();
        }
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
        private int parallelism = 1;
        private boolean fusedBackward = true;
        private boolean fusedOptimizer = true;

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
        /**
         * Whether float32 CPU forward passes of a {@code CausalLM} inside a micro-batch's loss run
         * {@link FusedTraining fused} (hand-written backward, default) or record every operation
         * for autograd. Both give the same gradients to float32 rounding.
         */
        public Builder optFusedBackward(boolean fused) {
            this.fusedBackward = fused;
            return this;
        }

        /** Whether AdamW uses its fused kernel (default) or tensor operations: see {@link AdamW#setFusedKernel}. */
        public Builder optFusedOptimizer(boolean fused) {
            this.fusedOptimizer = fused;
            return this;
        }

        /**
         * Micro-batches run on this many threads at once (default 1: one after another on the
         * caller's thread). With more, their gradients still add up to the same sum, but in an
         * order that varies from step to step, so the last bits of the result do: keep 1 where
         * bit-exact reproducibility matters. Pair it with one intra-op thread per core.
         */
        public Builder optParallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1, got " + threads);
            }
            this.parallelism = threads;
            return this;
        }

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
