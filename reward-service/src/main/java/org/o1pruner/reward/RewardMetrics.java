package org.o1pruner.reward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.o1pruner.runtime.ServiceMetrics;
import org.o1pruner.schema.DeadLetterReason;

/**
 * Every metric the reward service exports, named once (STYLE.md rule 8). Names are
 * {@code o1p.reward.*} in base units; tags come from fixed sets: {@code dataset}
 * (bounded: the first {@value #MAX_DATASETS} distinct names, then {@code other}),
 * {@code reason} (a {@link DeadLetterReason} tag), {@code outcome} and {@code le}.
 * Never a problem id.
 */
public final class RewardMetrics extends ServiceMetrics {
    /** Samples read from the samples topic (decoded or not). */
    public static final String SAMPLES_IN = "o1p.reward.samples.in";
    /** Samples written to the scored topic; tag dataset. */
    public static final String SAMPLES_SCORED = "o1p.reward.samples.scored";
    /** Scored samples graded correct; tag dataset. accuracy = correct / scored. */
    public static final String SAMPLES_CORRECT = "o1p.reward.samples.correct";
    /** Redelivered samples dropped as duplicates. */
    public static final String SAMPLES_DUPLICATE = "o1p.reward.samples.duplicate";
    /** Response length L of scored samples, tokens; tag dataset (mean = sum / count). */
    public static final String SAMPLE_LENGTH = "o1p.reward.sample.length";
    /** Cumulative histogram of the clipped reward: counter per upper bound, tag le. */
    public static final String REWARD_BUCKET = "o1p.reward.reward.bucket";
    /** Raw rewards seen (the +Inf bucket). */
    public static final String REWARD_COUNT = "o1p.reward.reward.count";
    /** Time from a group's first sample to its completion or expiry, seconds; tag outcome. */
    public static final String GROUP_COMPLETION = "o1p.reward.group.completion";
    /** Groups still waiting for samples. */
    public static final String GROUPS_OPEN = "o1p.reward.groups.open";
    /** Samples held in open groups. */
    public static final String SAMPLES_BUFFERED = "o1p.reward.samples.buffered";
    /**
     * Records sent to the dead-letter topic; tag reason. Registered by {@link ServiceMetrics}; the
     * loop counts the records it rejects, this class the groups that time out.
     */
    public static final String DEAD_LETTER_COUNT = "o1p.reward.dead.letters";
    /** Samples whose grading hit the grader's budget (counted incorrect). */
    public static final String GRADING_TIMEOUTS = "o1p.reward.grading.timeouts";
    /** Time to grade one sample, seconds (with a percentile histogram). */
    public static final String GRADING_TIME = "o1p.reward.grading.time";
    /** Samples and markers read back from the changelog on partition assignment. */
    public static final String RESTORED = "o1p.reward.changelog.restored";

    /** Group outcomes (the {@code outcome} tag of {@link #GROUP_COMPLETION}). */
    public static final String OUTCOME_COMPLETE = "complete";
    public static final String OUTCOME_EXPIRED_EMITTED = "expired-emitted";
    public static final String OUTCOME_EXPIRED_DEAD_LETTERED = "expired-dead-lettered";

    /** At most this many distinct dataset tag values; later ones are tagged {@code other}. */
    public static final int MAX_DATASETS = 16;

    private final Counter samplesIn;
    private final Counter duplicates;
    private final Counter gradingTimeouts;
    private final Counter restored;
    private final Counter rewardCount;
    private final Timer gradingTime;
    private final double[] bucketBounds;
    private final Counter[] buckets;
    private final AtomicInteger openGroups = new AtomicInteger();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Map<String, DatasetMeters> datasets = new ConcurrentHashMap<>();
    private final Map<String, Timer> completion = new ConcurrentHashMap<>();

    private record DatasetMeters(Counter scored, Counter correct, DistributionSummary length) {}

    /**
     * @param registry where to register
     * @param clipLow  lowest reward bucket bound (the clip's lower bound)
     * @param clipHigh highest finite bucket bound (the clip's upper bound)
     */
    public RewardMetrics(MeterRegistry registry, double clipLow, double clipHigh) {
        super(registry, RewardConfig.SERVICE);
        samplesIn = Counter.builder(SAMPLES_IN).description("Samples read from the samples topic").register(registry());
        duplicates = Counter.builder(SAMPLES_DUPLICATE).description("Redelivered samples dropped").register(registry());
        gradingTimeouts = Counter.builder(GRADING_TIMEOUTS).description("Gradings that hit the budget").register(registry());
        restored = Counter.builder(RESTORED).description("Changelog records replayed on assignment").register(registry());
        rewardCount = Counter.builder(REWARD_COUNT).description("Rewards computed").register(registry());
        gradingTime = Timer.builder(GRADING_TIME).description("Time to grade one sample")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry());
        Gauge.builder(GROUPS_OPEN, openGroups, AtomicInteger::get).description("Open groups").register(registry);
        Gauge.builder(SAMPLES_BUFFERED, buffered, AtomicInteger::get).description("Buffered samples").register(registry());
        bucketBounds = bounds(clipLow, clipHigh);
        buckets = new Counter[bucketBounds.length];
        for (int i = 0; i < bucketBounds.length; i++) {
            buckets[i] = Counter.builder(REWARD_BUCKET).tag("le", String.format(Locale.ROOT, "%.2f", bucketBounds[i]))
                    .description("Clipped rewards at or below le (cumulative)").register(registry());
        }
    }

    private static double[] bounds(double low, double high) {
        List<Double> b = new ArrayList<>();
        double step = Math.max((high - low) / 12.0, 1e-9);
        for (int i = 0; i <= 12; i++) {
            b.add(low + i * step);
        }
        return b.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public void sampleIn() {
        samplesIn.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void restored(int n) {
        restored.increment(n);
    }

    /** One grading: its duration and whether it hit the budget. */
    public void graded(long nanos, boolean timedOut) {
        gradingTime.record(Duration.ofNanos(nanos));
        if (timedOut) {
            gradingTimeouts.increment();
        }
    }

    /** One scored sample. */
    public void scored(String dataset, boolean correct, int length, double clippedReward) {
        DatasetMeters m = datasets.computeIfAbsent(boundedDataset(dataset), newMeters());
        m.scored.increment();
        if (correct) {
            m.correct.increment();
        }
        m.length.record(length);
        rewardCount.increment();
        for (int i = 0; i < bucketBounds.length; i++) {
            if (clippedReward <= bucketBounds[i] + 1e-12) {
                buckets[i].increment();
            }
        }
    }

    /** A group left the buffer after {@code latency}; outcome is one of the OUTCOME_* constants. */
    public void groupDone(String outcome, Duration latency) {
        completion.computeIfAbsent(outcome, o -> Timer.builder(GROUP_COMPLETION).tag("outcome", o)
                .description("First sample to group completion").publishPercentiles(0.5, 0.99)
                .register(registry())).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** Updates the open-group gauges. */
    public void buffer(int groups, int samples) {
        openGroups.set(groups);
        buffered.set(samples);
    }

    /** The grading-time timer (for reports: percentiles, count). */
    public Timer gradingTime() {
        return gradingTime;
    }

    private Function<String, DatasetMeters> newMeters() {
        return d -> new DatasetMeters(
                Counter.builder(SAMPLES_SCORED).tag("dataset", d).description("Samples scored").register(registry()),
                Counter.builder(SAMPLES_CORRECT).tag("dataset", d).description("Scored samples graded correct")
                        .register(registry()),
                DistributionSummary.builder(SAMPLE_LENGTH).tag("dataset", d).baseUnit("tokens")
                        .description("Response length of scored samples").register(registry()));
    }

    private String boundedDataset(String dataset) {
        String d = dataset == null || dataset.isBlank() ? "unknown" : dataset;
        if (datasets.containsKey(d) || datasets.size() < MAX_DATASETS) {
            return d;
        }
        return "other";
    }
}
