package org.o1pruner.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.o1pruner.eval.core.EvalJudge;
import org.o1pruner.eval.core.EvalLedger;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.Manifest;
import org.o1pruner.model.PublishedCheckpoint;
import org.o1pruner.runtime.RecordRejectedException;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.EvalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one published checkpoint on this evaluator's data sets: verifies its files against the
 * record, loads it, evaluates it, and returns the {@code evals} records to publish, with the
 * baseline's records first when the run's baseline was not evaluated yet.
 *
 * <p>The baseline of a run is version 0: the checkpoint record of version 0 when the topic has
 * one, otherwise the configured reference model directory ({@code O1P_EVAL_BASELINE_DIR}),
 * evaluated once per run and data set; its records carry {@code baseline = true} and are what
 * a restart reads back. Versions already recorded (a redelivery) are skipped. The
 * {@link EvalLedger} is only read here; the caller applies the returned records once they are
 * committed.
 */
public final class VersionEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(VersionEvaluator.class);

    private final Map<String, EvalDataset> datasets;
    private final Evaluator evaluator;
    private final EvalJudge judge;
    private final EvalLedger ledger;
    private final Function<Path, EvalModel> loader;
    private final Optional<Path> baselineDir;
    private final Clock clock;
    private final EvalMetrics metrics;

    /**
     * @param datasets    the data sets this instance owns, loaded
     * @param loader      loads a verified model directory
     * @param baselineDir the reference model for runs whose version 0 is not on the topic
     */
    public VersionEvaluator(List<EvalDataset> datasets, Evaluator evaluator, EvalJudge judge, EvalLedger ledger,
                            Function<Path, EvalModel> loader, Optional<Path> baselineDir, Clock clock,
                            EvalMetrics metrics) {
        this.datasets = new LinkedHashMap<>();
        datasets.forEach(d -> this.datasets.put(d.name(), d));
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.judge = Objects.requireNonNull(judge, "judge");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.baselineDir = Objects.requireNonNull(baselineDir, "baselineDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The ledger this evaluator decides with. */
    public EvalLedger ledger() {
        return ledger;
    }

    /**
     * @return the records to publish, in order (empty when everything was recorded before)
     * @throws RecordRejectedException when the checkpoint fails verification or cannot be
     *     evaluated, or there is no baseline to compare with
     */
    public List<EvalRecord> evaluate(CheckpointRecord ckpt) {
        String run = ckpt.runId();
        boolean isBaseline = ckpt.version() == 0;
        List<String> todo = new ArrayList<>();
        for (String d : datasets.keySet()) {
            if (!ledger.evaluated(run, ckpt.version(), d)) {
                todo.add(d);
            }
        }
        if (todo.isEmpty()) {
            LOG.info("eval: run {} version {} already evaluated on {}; skipping", run, ckpt.version(), datasets.keySet());
            return List.of();
        }
        Path dir;
        try {
            dir = PublishedCheckpoint.directory(ckpt.uri());
            PublishedCheckpoint.verify(dir, ckpt.sha256ByFile());
        } catch (CheckpointException | java.nio.file.InvalidPathException e) {
            throw new RecordRejectedException(DeadLetterReason.INVALID,
                    "checkpoint v" + ckpt.version() + " refused: " + e.getMessage(), e);
        }
        List<EvalRecord> out = new ArrayList<>();
        Map<String, EvalRecord> baselines = new LinkedHashMap<>();
        if (!isBaseline) {
            List<String> missing = new ArrayList<>();
            for (String d : todo) {
                Optional<EvalRecord> b = ledger.baseline(run, d);
                if (b.isPresent()) {
                    baselines.put(d, b.get());
                } else {
                    missing.add(d);
                }
            }
            if (!missing.isEmpty()) {
                for (EvalRecord b : evaluateBaselineFromDir(run, missing)) {
                    baselines.put(b.dataset(), b);
                    out.add(b);
                }
            }
        }
        try (EvalModel model = load(dir, "checkpoint v" + ckpt.version())) {
            for (String d : todo) {
                long t0 = System.nanoTime();
                EvalSummary s = evaluator.evaluate(model, datasets.get(d));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                EvalRecord r;
                if (isBaseline) {
                    r = judge.baseline(run, 0, d, ledger.decoding(), s, clock.millis());
                } else {
                    EvalJudge.Verdict v = judge.judge(run, ckpt.version(), d, ledger.decoding(), s, baselines.get(d),
                            ledger.bestAes(run, d), clock.millis());
                    r = v.record();
                    LOG.info("eval: run {} v{} on {}: accuracy {} mean length {} AES {} (paper-table {}): {}", run,
                            ckpt.version(), d, fmt(r.accuracy()), fmt(r.meanLength()), fmt(r.aes()), fmt(r.aesPaper()),
                            v.decision());
                }
                metrics.evaluated(r, took);
                out.add(r);
            }
        }
        return out;
    }

    private List<EvalRecord> evaluateBaselineFromDir(String run, List<String> missing) {
        if (baselineDir.isEmpty()) {
            throw new RecordRejectedException(DeadLetterReason.INVALID, "run " + run + " has no baseline on "
                    + missing + ": no version 0 was published and O1P_EVAL_BASELINE_DIR is not set");
        }
        Path dir = baselineDir.get();
        if (Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
            try {
                Manifest.verify(dir);
            } catch (CheckpointException e) {
                throw new RecordRejectedException(DeadLetterReason.INVALID,
                        "baseline " + dir + " refused: " + e.getMessage(), e);
            }
        }
        List<EvalRecord> out = new ArrayList<>();
        try (EvalModel model = load(dir, "baseline " + dir)) {
            for (String d : missing) {
                long t0 = System.nanoTime();
                EvalSummary s = evaluator.evaluate(model, datasets.get(d));
                EvalRecord r = judge.baseline(run, 0, d, ledger.decoding(), s, clock.millis());
                metrics.evaluated(r, Duration.ofNanos(System.nanoTime() - t0));
                LOG.info("eval: run {} baseline on {}: accuracy {} mean length {}", run, d, fmt(r.accuracy()),
                        fmt(r.meanLength()));
                out.add(r);
            }
        }
        return out;
    }

    private EvalModel load(Path dir, String what) {
        try {
            return loader.apply(dir);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new RecordRejectedException(DeadLetterReason.INVALID, what + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
