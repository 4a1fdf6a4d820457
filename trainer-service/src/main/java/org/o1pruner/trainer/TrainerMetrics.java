package org.o1pruner.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.o1pruner.runtime.ServiceMetrics;

/**
 * Every metric the trainer exports, named once ({@code o1p.trainer.*}, base units). Gauges hold the
 * last optimizer step's value; counters accumulate.
 */
public final class TrainerMetrics extends ServiceMetrics {
    public static final String LOSS = "loss";
    public static final String RATIO_MEAN = "ratio.mean";
    public static final String CLIP_FRACTION = "clip.fraction";
    public static final String KL_APPROX = "kl.approx";
    public static final String ADVANTAGE_MEAN = "advantage.mean";
    public static final String ADVANTAGE_STD = "advantage.std";
    public static final String REWARD_MEAN = "reward.mean";
    public static final String GRAD_NORM = "grad.norm";
    public static final String LEARNING_RATE = "learning.rate";
    public static final String TOKENS_PER_SECOND = "tokens.per.second";
    public static final String STEP_TIME = "step.time";
    public static final String STEPS = "steps";
    public static final String SAMPLES_TRAINED = "samples.trained";
    public static final String TOKENS_TRAINED = "tokens.trained";
    public static final String RECORDS_SKIPPED = "records.skipped";
    public static final String CHECKPOINT_VERSION = "checkpoint.version";
    public static final String CHECKPOINT_TIME = "checkpoint.time";
    public static final String REFERENCE_DRIFT = "reference.drift";
    public static final String REFERENCE_DRIFT_MAX = "reference.drift.max";
    public static final String DPO_ACCURACY = "dpo.reward.accuracy";

    private volatile double loss = Double.NaN;
    private volatile double ratioMean = Double.NaN;
    private volatile double clipFraction = Double.NaN;
    private volatile double klApprox = Double.NaN;
    private volatile double advantageMean = Double.NaN;
    private volatile double advantageStd = Double.NaN;
    private volatile double rewardMean = Double.NaN;
    private volatile double gradNorm = Double.NaN;
    private volatile double learningRate = Double.NaN;
    private volatile double tokensPerSecond = Double.NaN;
    private volatile double checkpointVersion = Double.NaN;
    private volatile double referenceDrift = Double.NaN;
    private volatile double referenceDriftMax = Double.NaN;
    private volatile double dpoAccuracy = Double.NaN;
    private final Timer stepTime;
    private final Timer checkpointTime;
    private final Counter steps;
    private final Counter samplesTrained;
    private final Counter tokensTrained;
    private final Counter recordsSkipped;

    public TrainerMetrics(MeterRegistry registry) {
        super(registry, TrainerConfig.SERVICE);
        gauge(LOSS, "loss of the last optimizer step", m -> m.loss);
        gauge(RATIO_MEAN, "mean policy/reference ratio of the last step", m -> m.ratioMean);
        gauge(CLIP_FRACTION, "fraction of ratios outside [1-eps, 1+eps] in the last step", m -> m.clipFraction);
        gauge(KL_APPROX, "approximate KL to the reference, mean of (r-1)-log r, last step", m -> m.klApprox);
        gauge(ADVANTAGE_MEAN, "running mean of the clipped length-harmonizing reward", m -> m.advantageMean);
        gauge(ADVANTAGE_STD, "running standard deviation of the clipped reward", m -> m.advantageStd);
        gauge(REWARD_MEAN, "mean raw reward of the last step's samples", m -> m.rewardMean);
        gauge(GRAD_NORM, "global gradient norm before clipping, last step", m -> m.gradNorm);
        gauge(LEARNING_RATE, "learning rate of the last step", m -> m.learningRate);
        gauge(TOKENS_PER_SECOND, "response tokens trained per second in the last step", m -> m.tokensPerSecond);
        gauge(CHECKPOINT_VERSION, "version of the last checkpoint written", m -> m.checkpointVersion);
        gauge(REFERENCE_DRIFT, "mean |recorded - frozen| reference log-prob per token on the checked batches",
                m -> m.referenceDrift);
        gauge(REFERENCE_DRIFT_MAX, "largest |recorded - frozen| reference log-prob on the checked batches",
                m -> m.referenceDriftMax);
        gauge(DPO_ACCURACY, "fraction of DPO pairs whose implicit reward prefers the chosen sample", m -> m.dpoAccuracy);
        stepTime = Timer.builder(name(STEP_TIME)).description("wall time of one optimizer step").register(registry);
        checkpointTime = Timer.builder(name(CHECKPOINT_TIME)).description("wall time of writing one checkpoint")
                .register(registry);
        steps = Counter.builder(name(STEPS)).description("optimizer steps taken").register(registry);
        samplesTrained = Counter.builder(name(SAMPLES_TRAINED)).description("training items trained")
                .register(registry);
        tokensTrained = Counter.builder(name(TOKENS_TRAINED)).description("response tokens trained")
                .register(registry);
        recordsSkipped = Counter.builder(name(RECORDS_SKIPPED))
                .description("redelivered scored records already trained before a restart").register(registry);
    }

    private void gauge(String noun, String description, java.util.function.ToDoubleFunction<TrainerMetrics> f) {
        Gauge.builder(name(noun), this, f).description(description).register(registry());
    }

    /** Records one optimizer step. */
    public void step(TrainerEngine.StepReport r) {
        loss = r.loss();
        ratioMean = r.meanRatio();
        clipFraction = r.clipFraction();
        klApprox = r.approxKl();
        advantageMean = r.advantageMean();
        advantageStd = r.advantageStd();
        rewardMean = r.rewardMean();
        gradNorm = r.gradNorm();
        learningRate = r.lr();
        tokensPerSecond = r.tokensPerSecond();
        if (!Double.isNaN(r.dpoAccuracy())) {
            dpoAccuracy = r.dpoAccuracy();
        }
        stepTime.record(Duration.ofNanos(r.nanos()));
        steps.increment();
        samplesTrained.increment(r.items());
        tokensTrained.increment(r.tokens());
    }

    /** Records the reference drift measured so far. */
    public void referenceDrift(double mean, double max) {
        referenceDrift = mean;
        referenceDriftMax = max;
    }

    /** Records a written checkpoint. */
    public void checkpoint(long version, long nanos) {
        checkpointVersion = version;
        checkpointTime.record(Duration.ofNanos(nanos));
    }

    /** Counts redelivered records that were skipped. */
    public void skipped(long n) {
        recordsSkipped.increment(n);
    }

    public double checkpointVersion() {
        return checkpointVersion;
    }
}
