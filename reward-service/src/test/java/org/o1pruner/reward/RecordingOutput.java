package org.o1pruner.reward;

import java.util.ArrayList;
import java.util.List;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.ScoredRecord;

/** An {@link RewardTask.Output} that keeps everything in lists, for assertions. */
final class RecordingOutput implements RewardTask.Output {
    record Changelog(int partition, String key, byte[] value, long sourceOffset, long timestampMs) {}

    record Dead(int partition, long offset, byte[] key, byte[] value, DeadLetterReason reason, String detail) {}

    final List<ScoredRecord> scored = new ArrayList<>();
    final List<Changelog> changelog = new ArrayList<>();
    final List<Dead> dead = new ArrayList<>();
    private final MutableClock clock;

    RecordingOutput(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void scored(byte[] key, byte[] value) {
        scored.add(Codecs.SCORED.decode(value));
    }

    @Override
    public void changelog(int partition, String key, byte[] value, long sourceOffset) {
        changelog.add(new Changelog(partition, key, value, sourceOffset, clock.millis()));
    }

    @Override
    public void deadLetter(int sourcePartition, long sourceOffset, byte[] key, byte[] value,
                           DeadLetterReason reason, String detail) {
        dead.add(new Dead(sourcePartition, sourceOffset, key, value, reason, detail));
    }

    /** The changelog entries of one partition, as a restore would read them. */
    List<RewardTask.ChangelogEntry> changelogOf(int partition) {
        return RewardTask.live(changelog.stream().filter(c -> c.partition() == partition)
                .map(c -> new RewardTask.ChangelogEntry(c.key(), c.value(), c.timestampMs(), c.sourceOffset()))
                .toList());
    }
}
