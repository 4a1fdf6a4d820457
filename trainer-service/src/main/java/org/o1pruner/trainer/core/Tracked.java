package org.o1pruner.trainer.core;

import java.util.Objects;
import org.o1pruner.schema.ScoredRecord;

/**
 * A scored sample with where it was read from: the partition and offset of the {@code scored}
 * topic. The offset is what the trainer's checkpoint records as trained (or still pending).
 *
 * @param partition partition of the scored topic
 * @param offset offset in that partition
 * @param record the decoded, validated record
 */
public record Tracked(int partition, long offset, ScoredRecord record) {
    public Tracked {
        Objects.requireNonNull(record, "record");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must be >= 0, got " + partition + ", " + offset);
        }
    }

    /** As a pair-selection candidate (index, correctness, L). */
    public Candidate<Tracked> candidate() {
        return new Candidate<>(this, record.sample().sampleIndex(), record.correct(), record.length());
    }
}
