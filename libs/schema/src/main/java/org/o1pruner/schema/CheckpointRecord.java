package org.o1pruner.schema;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A published checkpoint: the value on {@link Topics#CHECKPOINTS}, keyed by run id.
 *
 * <p>Consumers (samplers, evaluators) load the files under {@code uri} and must
 * verify every file against {@code sha256ByFile} before use. Version 0 with no
 * parent is the reference model a run starts from.
 *
 * <p>The maps are copied into unmodifiable maps sorted by key (so the encoding is
 * deterministic); null keys or values are kept so that {@link #validate()} can
 * report them.
 *
 * @param runId         the training run (the Kafka key), non-empty
 * @param version       checkpoint version, non-negative, increasing within a run
 * @param step          optimizer steps taken when it was written, non-negative
 * @param uri           where the files are (e.g. {@code file:///ckpt/run-1/v3/} or {@code s3://…}), non-empty
 * @param sha256ByFile  file path relative to {@code uri} → lower-case hex SHA-256 (64 chars) of its bytes
 * @param parentVersion version it was trained from, or {@link #NO_PARENT}; below {@code version}
 * @param objective     what produced it (e.g. {@code o1-pruner}, {@code sft}, {@code dpo}, {@code reference})
 * @param metrics       training metrics at write time (name → value, finite), e.g. {@code loss}
 * @param createdAtMs   creation time, milliseconds since the Unix epoch, non-negative
 */
public record CheckpointRecord(
        String runId,
        long version,
        long step,
        String uri,
        Map<String, String> sha256ByFile,
        long parentVersion,
        String objective,
        Map<String, Double> metrics,
        long createdAtMs) {

    /** {@code parentVersion} of a checkpoint that was not trained from another one. */
    public static final long NO_PARENT = -1;

    private static final String NAME = "CheckpointRecord";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Copies the maps into unmodifiable key-sorted maps. */
    public CheckpointRecord {
        sha256ByFile = sortedCopy(sha256ByFile);
        metrics = sortedCopy(metrics);
    }

    /**
     * Checks every field.
     *
     * @return this record, for chaining
     * @throws RecordException with the reason of the first failed check
     */
    public CheckpointRecord validate() {
        Checks.nonEmpty(runId, NAME, "runId");
        Checks.nonEmpty(uri, NAME, "uri");
        Checks.present(objective, NAME, "objective");
        Checks.entriesPresent(sha256ByFile, NAME, "sha256ByFile");
        Checks.entriesPresent(metrics, NAME, "metrics");
        Checks.nonNegative(version, NAME, "version");
        Checks.nonNegative(step, NAME, "step");
        Checks.atLeast(parentVersion, NO_PARENT, NAME, "parentVersion");
        Checks.nonNegative(createdAtMs, NAME, "createdAtMs");
        if (parentVersion >= version) {
            throw new RecordException(DeadLetterReason.INVALID,
                    NAME + ".parentVersion " + parentVersion + " is not below version " + version);
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            Checks.finite(e.getValue(), NAME, "metrics[" + e.getKey() + "]");
        }
        for (Map.Entry<String, String> e : sha256ByFile.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new RecordException(DeadLetterReason.INVALID, NAME + ".sha256ByFile has an empty file name");
            }
            if (!SHA256_HEX.matcher(e.getValue()).matches()) {
                throw new RecordException(DeadLetterReason.INVALID, NAME + ".sha256ByFile[" + e.getKey()
                        + "] is not 64 lower-case hex digits");
            }
        }
        return this;
    }

    private static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        TreeMap<String, V> copy = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        copy.putAll(map);
        return Collections.unmodifiableSortedMap(copy);
    }
}
