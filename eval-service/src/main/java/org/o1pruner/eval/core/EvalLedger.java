package org.o1pruner.eval.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.o1pruner.schema.EvalRecord;

/**
 * What an evaluator knows about the runs it judges, for one decoding: per run and data set, the
 * baseline's record, the versions already evaluated, the latest, and the best promoted version.
 *
 * <p>It is built only from {@code evals} records, the committed ones on restart and then each
 * one after its transaction commits, so the decisions after a restart are the ones an unbroken
 * run would have made. Records of another decoding label are ignored. Pure; not thread-safe.
 */
public final class EvalLedger {
    private final String decoding;
    private final Map<Key, Entry> entries = new HashMap<>();

    private record Key(String runId, String dataset) {}

    private static final class Entry {
        EvalRecord baseline;
        EvalRecord latest;
        EvalRecord best;
        final Set<Long> versions = new TreeSet<>();
    }

    /** @param decoding the decoding label whose records count */
    public EvalLedger(String decoding) {
        this.decoding = Objects.requireNonNull(decoding, "decoding");
    }

    public String decoding() {
        return decoding;
    }

    /**
     * Takes in one record. A baseline record sets the baseline (the first one wins: the baseline
     * is evaluated once per run); any other becomes the latest if its version is the highest yet,
     * and the best if it is promoted.
     *
     * @return whether the record was of this ledger's decoding
     */
    public boolean apply(EvalRecord r) {
        if (!decoding.equals(r.decoding())) {
            return false;
        }
        Entry e = entries.computeIfAbsent(new Key(r.runId(), r.dataset()), k -> new Entry());
        e.versions.add(r.version());
        if (r.baseline()) {
            if (e.baseline == null) {
                e.baseline = r;
            }
            return true;
        }
        if (e.latest == null || r.version() >= e.latest.version()) {
            e.latest = r;
        }
        if (r.promoted() && (e.best == null || r.aes() > e.best.aes())) {
            e.best = r;
        }
        return true;
    }

    /** The baseline's record for a run and data set, if it was evaluated. */
    public Optional<EvalRecord> baseline(String runId, String dataset) {
        return Optional.ofNullable(entry(runId, dataset)).map(e -> e.baseline);
    }

    /** The newest non-baseline record. */
    public Optional<EvalRecord> latest(String runId, String dataset) {
        return Optional.ofNullable(entry(runId, dataset)).map(e -> e.latest);
    }

    /** The promoted record with the highest AES. */
    public Optional<EvalRecord> best(String runId, String dataset) {
        return Optional.ofNullable(entry(runId, dataset)).map(e -> e.best);
    }

    /** The AES a version must beat to be promoted, empty when none was promoted yet. */
    public OptionalDouble bestAes(String runId, String dataset) {
        return best(runId, dataset).map(r -> OptionalDouble.of(r.aes())).orElse(OptionalDouble.empty());
    }

    /** Whether {@code version} already has a record for this run and data set. */
    public boolean evaluated(String runId, long version, String dataset) {
        Entry e = entry(runId, dataset);
        return e != null && e.versions.contains(version);
    }

    private Entry entry(String runId, String dataset) {
        return entries.get(new Key(runId, dataset));
    }
}
