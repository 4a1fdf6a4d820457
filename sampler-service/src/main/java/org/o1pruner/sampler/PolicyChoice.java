package org.o1pruner.sampler;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.o1pruner.schema.CheckpointRecord;
import org.o1pruner.schema.EvalRecord;

/**
 * Which published checkpoint a sampler should sample from, given everything it has read from
 * the checkpoints and evals topics of its run. Pure: records in, a decision out.
 *
 * <ul>
 *   <li>{@link FollowMode#FIXED}: never any;</li>
 *   <li>{@link FollowMode#LATEST}: the highest version published;</li>
 *   <li>{@link FollowMode#LATEST_PROMOTED}: the highest published version that some evaluation
 *       marked promoted.</li>
 * </ul>
 * Versions at or below the one in use, and versions that failed to verify or load, are never
 * chosen. Records of other runs are ignored.
 */
public final class PolicyChoice {
    private final FollowMode mode;
    private final String runId;
    private final TreeMap<Long, CheckpointRecord> checkpoints = new TreeMap<>();
    private final Set<Long> promoted = new HashSet<>();
    private final Set<Long> refused = new HashSet<>();

    public PolicyChoice(FollowMode mode, String runId) {
        this.mode = mode;
        this.runId = runId;
    }

    /** Notes a published checkpoint; a later record for the same version replaces the earlier one. */
    public void onCheckpoint(CheckpointRecord r) {
        if (runId.equals(r.runId())) {
            checkpoints.put(r.version(), r);
        }
    }

    /** Notes an evaluation; only promotions of this run matter. */
    public void onEval(EvalRecord r) {
        if (runId.equals(r.runId()) && r.promoted()) {
            promoted.add(r.version());
        }
    }

    /** Marks a version as unusable (its files failed verification or loading). */
    public void refuse(long version) {
        refused.add(version);
    }

    /** The checkpoint to switch to from {@code currentVersion}, if any. */
    public Optional<CheckpointRecord> next(long currentVersion) {
        if (mode == FollowMode.FIXED) {
            return Optional.empty();
        }
        for (CheckpointRecord r : checkpoints.descendingMap().values()) {
            if (r.version() <= currentVersion) {
                return Optional.empty();
            }
            if (refused.contains(r.version())) {
                continue;
            }
            if (mode == FollowMode.LATEST || promoted.contains(r.version())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
