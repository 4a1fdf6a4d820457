package org.o1pruner.eval;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.o1pruner.runtime.ServiceMetrics;
import org.o1pruner.schema.EvalRecord;

/**
 * The eval service's metrics ({@code o1p.eval.*}). Gauges are tagged {@code dataset} (from the
 * configured list) and {@code kind}: {@code baseline} (version 0), {@code latest} (the newest
 * version evaluated) and {@code best} (the promoted version with the highest AES); the version a
 * kind refers to is itself a gauge, never a tag, so the label set stays bounded. A gauge reads
 * NaN until its kind has a value.
 */
public final class EvalMetrics extends ServiceMetrics {
    public static final String ACCURACY = "accuracy";
    public static final String ACCURACY_LOW95 = "accuracy.low95";
    public static final String ACCURACY_HIGH95 = "accuracy.high95";
    public static final String LENGTH_MEAN = "length.mean.tokens";
    public static final String AES = "aes";
    public static final String AES_PAPER = "aes.paper";
    public static final String VERSION = "version";
    public static final String EVALUATIONS = "evaluations";
    public static final String PROMOTIONS = "promotions";
    public static final String SOLUTIONS = "solutions";
    public static final String DURATION = "evaluation.duration";
    public static final String DATASET_TAG = "dataset";
    public static final String KIND_TAG = "kind";

    /** Which version a gauge describes. */
    public enum Kind {
        BASELINE, LATEST, BEST;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Map<Kind, AtomicReference<EvalRecord>>> values = new HashMap<>();
    private final Map<String, Counter> evaluations = new HashMap<>();
    private final Map<String, Counter> promotions = new HashMap<>();
    private final Map<String, Counter> solutions = new HashMap<>();
    private final Map<String, Timer> durations = new HashMap<>();

    /** @param datasets the data sets this instance evaluates (bounded tag values) */
    public EvalMetrics(MeterRegistry registry, List<String> datasets) {
        super(registry, EvalConfig.SERVICE);
        for (String d : datasets) {
            Map<Kind, AtomicReference<EvalRecord>> byKind = new HashMap<>();
            for (Kind k : Kind.values()) {
                AtomicReference<EvalRecord> ref = new AtomicReference<>();
                byKind.put(k, ref);
                gauge(ACCURACY, "accuracy (fraction correct)", d, k, ref, EvalRecord::accuracy);
                gauge(ACCURACY_LOW95, "lower end of the 95 % interval of accuracy", d, k, ref, EvalRecord::accuracyLow95);
                gauge(ACCURACY_HIGH95, "upper end of the 95 % interval of accuracy", d, k, ref, EvalRecord::accuracyHigh95);
                gauge(LENGTH_MEAN, "mean solution length, tokens", d, k, ref, EvalRecord::meanLength);
                gauge(AES, "AES against the baseline, the paper's formula as written", d, k, ref, EvalRecord::aes);
                gauge(AES_PAPER, "AES against the baseline as the paper's table computed it", d, k, ref, EvalRecord::aesPaper);
                gauge(VERSION, "checkpoint version this kind refers to", d, k, ref, r -> (double) r.version());
            }
            values.put(d, byKind);
            evaluations.put(d, Counter.builder(name(EVALUATIONS)).description("checkpoint evaluations finished")
                    .tag(DATASET_TAG, d).register(registry));
            promotions.put(d, Counter.builder(name(PROMOTIONS)).description("versions promoted")
                    .tag(DATASET_TAG, d).register(registry));
            solutions.put(d, Counter.builder(name(SOLUTIONS)).description("solutions generated and graded")
                    .tag(DATASET_TAG, d).register(registry));
            durations.put(d, Timer.builder(name(DURATION)).description("time to evaluate one version on one data set")
                    .tag(DATASET_TAG, d).register(registry));
        }
    }

    private void gauge(String noun, String doc, String dataset, Kind kind, AtomicReference<EvalRecord> ref,
                       java.util.function.ToDoubleFunction<EvalRecord> f) {
        Gauge.builder(name(noun), ref, r -> {
            EvalRecord rec = r.get();
            return rec == null ? Double.NaN : f.applyAsDouble(rec);
        }).description(doc).tag(DATASET_TAG, dataset).tag(KIND_TAG, kind.tag()).register(registry());
    }

    /** Shows {@code r} as the given kind of its data set (ignored for a data set not configured). */
    public void show(Kind kind, EvalRecord r) {
        Map<Kind, AtomicReference<EvalRecord>> byKind = values.get(r.dataset());
        if (byKind != null) {
            byKind.get(kind).set(r);
        }
    }

    /** The record a gauge shows now, or null (tests). */
    public EvalRecord shown(String dataset, Kind kind) {
        Map<Kind, AtomicReference<EvalRecord>> byKind = values.get(dataset);
        return byKind == null ? null : byKind.get(kind).get();
    }

    /** Counts a finished evaluation of one version on one data set. */
    public void evaluated(EvalRecord r, Duration took) {
        Counter c = evaluations.get(r.dataset());
        if (c == null) {
            return;
        }
        c.increment();
        solutions.get(r.dataset()).increment(r.n());
        durations.get(r.dataset()).record(took);
        if (r.promoted()) {
            promotions.get(r.dataset()).increment();
        }
    }
}
