package org.o1pruner.sampler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.o1pruner.runtime.ServiceMetrics;

/**
 * Every metric of the sampler service, named once (STYLE.md habit 8), under
 * {@code o1p.sampler.*}: generated tokens and samples (rates give tokens/s and samples/s), the
 * generation length histogram, engine batch occupancy, time per sample, the policy version in
 * use, the prompt queue depth (consumer lag on the prompts topic), back-pressure pauses, policy
 * switches, refused checkpoints, and prompts sampled with another version than they asked for.
 */
public final class SamplerMetrics extends ServiceMetrics {
    public static final String TOKENS = "tokens";
    public static final String SAMPLES = "samples";
    public static final String PROMPTS = "prompts";
    public static final String GENERATION_LENGTH = "generation.length";
    public static final String BATCH_OCCUPANCY = "batch.occupancy";
    public static final String SAMPLE_DURATION = "sample.duration";
    public static final String BATCH_DURATION = "batch.duration";
    public static final String POLICY_VERSION = "policy.version";
    public static final String QUEUE_DEPTH = "queue.depth";
    public static final String DOWNSTREAM_LAG = "downstream.lag";
    public static final String BACKPRESSURE_PAUSES = "backpressure.pauses";
    public static final String POLICY_SWITCHES = "policy.switches";
    public static final String CHECKPOINTS_REFUSED = "checkpoints.refused";
    public static final String VERSION_MISMATCHES = "version.mismatches";

    private final Counter tokens;
    private final Counter samples;
    private final Counter prompts;
    private final DistributionSummary generationLength;
    private final DistributionSummary batchOccupancy;
    private final Timer sampleDuration;
    private final Timer batchDuration;
    private final Counter backpressurePauses;
    private final Counter policySwitches;
    private final Counter checkpointsRefused;
    private final Counter versionMismatches;
    private final AtomicLong policyVersion = new AtomicLong();
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicLong downstreamLag = new AtomicLong();

    public SamplerMetrics(MeterRegistry registry) {
        super(registry, SamplerConfig.SERVICE);
        tokens = Counter.builder(name(TOKENS)).baseUnit("tokens").description("generated response tokens").register(registry);
        samples = Counter.builder(name(SAMPLES)).description("samples produced").register(registry);
        prompts = Counter.builder(name(PROMPTS)).description("prompts whose K samples were produced").register(registry);
        generationLength = DistributionSummary.builder(name(GENERATION_LENGTH)).baseUnit("tokens")
                .description("generated tokens per sample").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(65_536.0).register(registry);
        batchOccupancy = DistributionSummary.builder(name(BATCH_OCCUPANCY))
                .description("rows in an engine batch / configured batch size").register(registry);
        sampleDuration = Timer.builder(name(SAMPLE_DURATION))
                .description("engine batch time divided by its rows").register(registry);
        batchDuration = Timer.builder(name(BATCH_DURATION)).description("wall time of one engine batch").register(registry);
        backpressurePauses = Counter.builder(name(BACKPRESSURE_PAUSES))
                .description("polls skipped because the downstream group lagged").register(registry);
        policySwitches = Counter.builder(name(POLICY_SWITCHES)).description("policy versions switched to").register(registry);
        checkpointsRefused = Counter.builder(name(CHECKPOINTS_REFUSED))
                .description("checkpoints that failed verification or loading").register(registry);
        versionMismatches = Counter.builder(name(VERSION_MISMATCHES))
                .description("prompts sampled with another policy version than they asked for").register(registry);
        registry.gauge(name(POLICY_VERSION), policyVersion);
        registry.gauge(name(QUEUE_DEPTH), queueDepth);
        registry.gauge(name(DOWNSTREAM_LAG), downstreamLag);
    }

    /** One engine batch of {@code rows} sequences out of {@code batchSize} took {@code nanos}. */
    public void batch(int rows, int batchSize, long nanos) {
        batchOccupancy.record((double) rows / batchSize);
        batchDuration.record(nanos, TimeUnit.NANOSECONDS);
        sampleDuration.record(nanos / Math.max(1, rows), TimeUnit.NANOSECONDS);
    }

    /** One sample of {@code generatedTokens} tokens was produced. */
    public void sample(int generatedTokens) {
        tokens.increment(generatedTokens);
        samples.increment();
        generationLength.record(generatedTokens);
    }

    /** {@code n} prompts were completed (their samples committed). */
    public void promptsDone(int n) {
        prompts.increment(n);
    }

    public void policyVersion(long version) {
        policyVersion.set(version);
    }

    public void policySwitched() {
        policySwitches.increment();
    }

    public void checkpointRefused() {
        checkpointsRefused.increment();
    }

    /** A prompt asked for another policy version than the one in use (its samples carry the one used). */
    public void versionMismatch() {
        versionMismatches.increment();
    }

    public double versionMismatches() {
        return versionMismatches.count();
    }

    public void queueDepth(long depth) {
        queueDepth.set(depth);
    }

    public void downstreamLag(long lag) {
        downstreamLag.set(lag);
    }

    public void backpressurePause() {
        backpressurePauses.increment();
    }

    public double tokensTotal() {
        return tokens.count();
    }

    public double samplesTotal() {
        return samples.count();
    }

    public long policyVersionInUse() {
        return policyVersion.get();
    }

    public double backpressurePauses() {
        return backpressurePauses.count();
    }

    public double checkpointsRefused() {
        return checkpointsRefused.count();
    }
}
