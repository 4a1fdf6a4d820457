package org.o1pruner.sampler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.SampleRecord;

/**
 * The sampler's processing step, run by {@link SamplerLoop} once per poll batch (one
 * transaction): all K samples of every prompt of the batch, generated together. Prompts × K are flattened into engine batches ({@link SamplePlan}); each result
 * becomes a {@link SampleRecord} carrying the prompt's fields, the generating policy's version
 * and the engine batch's wall time. Runs on the loop thread; no Kafka.
 *
 * <p>A prompt names the policy version it wants; the sampler samples with the version it has
 * (fixed, or the newest it follows), stamps that version on every sample, and counts a mismatch.
 * The group key (problem, round, policy version) then keeps such groups apart downstream.
 */
public final class SamplerProcessor {
    private final SamplingSettings settings;
    private final int batchSize;
    private final Clock clock;
    private final SamplerMetrics metrics;
    private long batchCounter;

    public SamplerProcessor(SamplingSettings settings, int batchSize, Clock clock, SamplerMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Generates the K samples of each prompt.
     *
     * @param prompts      validated prompts
     * @param promptTokens the templated, tokenized prompt of each (same order)
     * @return per prompt, its K samples in sample-index order
     */
    public List<List<SampleRecord>> generate(List<PromptRecord> prompts, List<int[]> promptTokens, Policy policy) {
        if (prompts.size() != promptTokens.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + promptTokens.size() + " token rows");
        }
        int[] ks = prompts.stream().mapToInt(PromptRecord::k).toArray();
        for (PromptRecord p : prompts) {
            if (p.policyVersion() != policy.version()) {
                metrics.versionMismatch();
            }
        }
        List<SampleRecord[]> out = new ArrayList<>(prompts.size());
        for (int k : ks) {
            out.add(new SampleRecord[k]);
        }
        for (List<SamplePlan.Job> batch : SamplePlan.batches(ks, batchSize)) {
            List<int[]> rows = new ArrayList<>(batch.size());
            for (SamplePlan.Job j : batch) {
                rows.add(promptTokens.get(j.prompt()));
            }
            long t0 = System.nanoTime();
            List<Completion> done = policy.generate(rows, settings, SamplePlan.batchSeed(settings.seed(), batchCounter++));
            long nanos = System.nanoTime() - t0;
            if (done.size() != rows.size()) {
                throw new IllegalStateException("engine returned " + done.size() + " completions for " + rows.size() + " rows");
            }
            metrics.batch(rows.size(), batchSize, nanos);
            long now = clock.millis();
            long ms = nanos / 1_000_000L;
            for (int i = 0; i < batch.size(); i++) {
                SamplePlan.Job j = batch.get(i);
                PromptRecord p = prompts.get(j.prompt());
                Completion c = done.get(i);
                SampleRecord s = new SampleRecord(p.problemId(), p.dataset(), p.round(), policy.version(),
                        j.sampleIndex(), p.k(), p.answer(), p.variant(), promptTokens.get(j.prompt()), c.tokens(),
                        c.logProbs(), c.text(), c.finishReason(), ms, now).validate();
                out.get(j.prompt())[j.sampleIndex()] = s;
                metrics.sample(c.tokens().length);
            }
        }
        List<List<SampleRecord>> result = new ArrayList<>(out.size());
        for (SampleRecord[] group : out) {
            result.add(List.of(group));
        }
        return result;
    }
}
