package org.o1pruner.reward;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.GroupKey;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;

/**
 * The reward service's decisions for the samples of the partitions it owns, with all
 * I/O left to an {@link Output}: decode and validate each sample, grade it, buffer it in
 * its group, and when a group completes (or expires) emit one scored record per sample,
 * the changelog writes that keep the open groups restorable, and dead letters.
 *
 * <p>One group buffer per input partition, so a revoked partition drops exactly its groups
 * and an assigned one is rebuilt from its changelog partition (same number). Everything a
 * call emits belongs in the same transaction as the input offsets it consumed.
 *
 * <p>Single-threaded: the transactional loop's thread calls it.
 */
public final class RewardTask {

    /** Where the task's results go; the shell turns each call into a Kafka send. */
    public interface Output {
        /** A scored record for {@link org.o1pruner.schema.Topics#SCORED}, keyed by problem id. */
        void scored(byte[] key, byte[] value);

        /**
         * A changelog write to partition {@code partition} of {@link RewardTopics#CHANGELOG};
         * {@code value == null} is a tombstone. {@code sourceOffset} is the input offset the
         * entry came from (or -1), carried so a restored sample can still be dead-lettered
         * with its origin.
         */
        void changelog(int partition, String key, byte[] value, long sourceOffset);

        /** A record for the dead-letter topic: the original key and value, and why. */
        void deadLetter(int sourcePartition, long sourceOffset, byte[] key, byte[] value,
                        DeadLetterReason reason, String detail);
    }

    /**
     * A sample waiting in its group, with what it takes to dead-letter it later.
     *
     * @param graded       the decoded, graded sample
     * @param key          original Kafka key bytes
     * @param value        original value bytes
     * @param sourceOffset offset it was read from
     */
    record Pending(GradedSample graded, byte[] key, byte[] value, long sourceOffset) {}

    /**
     * One changelog entry to replay on restore.
     *
     * @param key          the changelog key
     * @param value        its value (never a tombstone: the caller keeps only live keys)
     * @param timestampMs  the changelog record's timestamp (a restored group's timeout counts from it)
     * @param sourceOffset the input offset it came from, or -1
     */
    public record ChangelogEntry(String key, byte[] value, long timestampMs, long sourceOffset) {}

    /** Suffix of a group-finished marker key in the changelog. */
    static final String DONE_SUFFIX = "!done";
    /** Marker value prefixes: the group completed, or timed out (then followed by the time in ms). */
    static final String COMPLETE_MARK = "complete:";
    static final String EXPIRED_MARK = "expired:";

    private final RewardScorer scorer;
    private final Duration timeout;
    private final IncompleteGroupPolicy policy;
    private final int rememberCompleted;
    private final RewardMetrics metrics;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<Integer, GroupBuffer<Pending>> buffers = new HashMap<>();

    /**
     * @param scorer            grader and reward parameters
     * @param timeout           how long a group may stay open
     * @param policy            what to do with a group that times out
     * @param rememberCompleted completed groups remembered per partition for de-duplication
     * @param metrics           where to count
     * @param clock             wall clock (arrival times, scoring time, timeouts)
     * @param nanoTime          monotonic clock for grading durations
     */
    public RewardTask(RewardScorer scorer, Duration timeout, IncompleteGroupPolicy policy, int rememberCompleted,
                      RewardMetrics metrics, Clock clock, LongSupplier nanoTime) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.rememberCompleted = rememberCompleted;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        new GroupBuffer<Pending>(timeout, rememberCompleted); // validates the settings up front
    }

    /** The changelog key of one sample. */
    static String sampleKey(GroupKey g, int index) {
        return groupPrefix(g) + "#" + index;
    }

    /** The changelog key of a group's completed marker. */
    static String doneKey(GroupKey g) {
        return groupPrefix(g) + DONE_SUFFIX;
    }

    private static String groupPrefix(GroupKey g) {
        return g.round() + "/" + g.policyVersion() + "/" + g.problemId();
    }

    private GroupBuffer<Pending> buffer(int partition) {
        return buffers.computeIfAbsent(partition, p -> new GroupBuffer<>(timeout, rememberCompleted));
    }

    /**
     * Processes one record from the samples topic.
     *
     * @throws RecordException when the record must be dead-lettered (undecodable, invalid, a
     *     ground truth no answer can match, or a sample that contradicts its group); nothing has
     *     been buffered or emitted then, so the caller dead-letters the original record as is
     */
    public void onSample(int partition, long offset, byte[] key, byte[] value, Output out) {
        metrics.sampleIn();
        if (value == null) {
            throw new RecordException(DeadLetterReason.MISSING_FIELD, "record has no value");
        }
        SampleRecord sample = Codecs.SAMPLE.decode(value);
        GradedSample graded = grade(sample);
        if (graded.grade().truthUnusable()) {
            throw new RecordException(DeadLetterReason.INVALID, "ground truth '" + abbreviate(sample.answer())
                    + "' is unusable: no solution can be graded against it");
        }
        Pending pending = new Pending(graded, key, value, offset);
        GroupBuffer<Pending> buf = buffer(partition);
        GroupBuffer.Offer<Pending> o = buf.offer(sample.groupKey(), sample.k(), sample.sampleIndex(), pending,
                clock.instant());
        switch (o.status()) {
            case DUPLICATE -> metrics.duplicate();
            case LATE -> throw new RecordException(DeadLetterReason.GROUP_TIMEOUT, o.detail());
            case INCONSISTENT -> throw new RecordException(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE, o.detail());
            case ACCEPTED -> out.changelog(partition, sampleKey(sample.groupKey(), sample.sampleIndex()), value, offset);
            case COMPLETED -> {
                // this sample was never written to the changelog; tombstone the others and mark done
                finish(partition, o.group(), false, false, out, sample.sampleIndex());
                metrics.groupDone(RewardMetrics.OUTCOME_COMPLETE,
                        Duration.between(o.group().firstArrival(), clock.instant()));
            }
        }
        forget(partition, buf, out);
        metrics.buffer(openGroups(), bufferedSamples());
    }

    /** Expires groups open longer than the timeout, per the incomplete-group policy. */
    public void punctuate(Output out) {
        Instant now = clock.instant();
        for (Map.Entry<Integer, GroupBuffer<Pending>> e : buffers.entrySet()) {
            int partition = e.getKey();
            for (GroupBuffer.Group<Pending> g : e.getValue().expire(now)) {
                Duration latency = Duration.between(g.firstArrival(), now);
                if (policy == IncompleteGroupPolicy.EMIT_FLAGGED) {
                    finish(partition, g, true, true, out, -1);
                    metrics.groupDone(RewardMetrics.OUTCOME_EXPIRED_EMITTED, latency);
                } else {
                    for (Pending p : g.samples()) {
                        deadLetter(out, partition, p.sourceOffset(), p.key(), p.value(), DeadLetterReason.GROUP_TIMEOUT,
                                "group " + groupPrefix(g.key()) + " had " + g.samples().size() + " of "
                                        + g.expectedK() + " samples after " + timeout);
                    }
                    tombstoneAndMark(partition, g, true, out, -1);
                    metrics.groupDone(RewardMetrics.OUTCOME_EXPIRED_DEAD_LETTERED, latency);
                }
            }
            forget(partition, e.getValue(), out);
        }
        metrics.buffer(openGroups(), bufferedSamples());
    }

    private void finish(int partition, GroupBuffer.Group<Pending> g, boolean incomplete, boolean expired, Output out,
                        int notLogged) {
        List<GradedSample> graded = new ArrayList<>(g.samples().size());
        for (Pending p : g.samples()) {
            graded.add(p.graded());
        }
        List<ScoredRecord> scored = scorer.score(graded, incomplete, clock.millis());
        LengthHarmonizingReward reward = scorer.reward();
        for (ScoredRecord s : scored) {
            out.scored(Keys.of(s), Codecs.SCORED.encode(s));
            metrics.scored(s.sample().dataset(), s.correct(), s.length(), reward.clipped(s.rawReward()));
        }
        tombstoneAndMark(partition, g, expired, out, notLogged);
    }

    private void tombstoneAndMark(int partition, GroupBuffer.Group<Pending> g, boolean expired, Output out,
                                  int notLogged) {
        for (int index : g.indices()) {
            if (index != notLogged) {
                out.changelog(partition, sampleKey(g.key(), index), null, -1);
            }
        }
        if (rememberCompleted > 0) {
            out.changelog(partition, doneKey(g.key()),
                    ((expired ? EXPIRED_MARK : COMPLETE_MARK) + clock.millis()).getBytes(StandardCharsets.UTF_8), -1);
        }
    }

    private void forget(int partition, GroupBuffer<Pending> buf, Output out) {
        for (GroupKey k : buf.forgotten()) {
            out.changelog(partition, doneKey(k), null, -1);
        }
    }

    private GradedSample grade(SampleRecord sample) {
        long t0 = nanoTime.getAsLong();
        GradedSample g = scorer.grade(sample);
        metrics.graded(nanoTime.getAsLong() - t0, g.grade().timedOut());
        return g;
    }

    private void deadLetter(Output out, int partition, long offset, byte[] key, byte[] value,
                            DeadLetterReason reason, String detail) {
        metrics.deadLetter(reason);
        out.deadLetter(partition, offset, key, value, reason, detail);
    }

    /**
     * Rebuilds a partition's open groups from the live entries of its changelog partition
     * (latest value per key, tombstoned keys left out), replacing whatever was buffered.
     * Samples are re-graded (grading is deterministic); entries that no longer decode are
     * dead-lettered through {@code out}, and a group that the entries complete is scored at once.
     *
     * @return how many entries were replayed
     */
    public int restore(int partition, List<ChangelogEntry> entries, Output out) {
        GroupBuffer<Pending> buf = new GroupBuffer<>(timeout, rememberCompleted);
        buffers.put(partition, buf);
        List<ChangelogEntry> samples = new ArrayList<>();
        for (ChangelogEntry e : entries) {
            if (e.key().endsWith(DONE_SUFFIX)) {
                GroupKey g = parseGroup(e.key().substring(0, e.key().length() - DONE_SUFFIX.length()));
                if (g != null) {
                    buf.markCompleted(g, new String(e.value(), StandardCharsets.UTF_8).startsWith(EXPIRED_MARK));
                }
            } else {
                samples.add(e);
            }
        }
        for (ChangelogEntry e : samples) {
            SampleRecord sample;
            try {
                sample = Codecs.SAMPLE.decode(e.value());
            } catch (RecordException ex) {
                deadLetter(out, partition, e.sourceOffset(), null, e.value(), ex.reason(),
                        "changelog entry " + e.key() + ": " + ex.getMessage());
                out.changelog(partition, e.key(), null, -1);
                continue;
            }
            GradedSample graded = grade(sample);
            Pending p = new Pending(graded, Keys.of(sample), e.value(), e.sourceOffset());
            GroupBuffer.Offer<Pending> o = buf.offer(sample.groupKey(), sample.k(), sample.sampleIndex(), p,
                    Instant.ofEpochMilli(e.timestampMs()));
            if (o.status() == GroupBuffer.Status.COMPLETED) {
                finish(partition, o.group(), false, false, out, -1);
            } else if (o.status() != GroupBuffer.Status.ACCEPTED) {
                out.changelog(partition, e.key(), null, -1);
            }
        }
        forget(partition, buf, out);
        metrics.restored(entries.size());
        metrics.buffer(openGroups(), bufferedSamples());
        return entries.size();
    }

    /** Drops the open groups of a partition this task no longer owns. */
    public void revoke(int partition) {
        buffers.remove(partition);
        metrics.buffer(openGroups(), bufferedSamples());
    }

    /** Drops every partition's open groups (the transaction they came from was aborted). */
    public void revokeAll() {
        buffers.clear();
        metrics.buffer(0, 0);
    }

    /** Open groups over all owned partitions. */
    public int openGroups() {
        int n = 0;
        for (GroupBuffer<Pending> b : buffers.values()) {
            n += b.openGroups();
        }
        return n;
    }

    /** Buffered samples over all owned partitions. */
    public int bufferedSamples() {
        int n = 0;
        for (GroupBuffer<Pending> b : buffers.values()) {
            n += b.bufferedSamples();
        }
        return n;
    }

    private static GroupKey parseGroup(String prefix) {
        int a = prefix.indexOf('/');
        int b = a < 0 ? -1 : prefix.indexOf('/', a + 1);
        if (b < 0) {
            return null;
        }
        try {
            return new GroupKey(prefix.substring(b + 1), Integer.parseInt(prefix.substring(0, a)),
                    Long.parseLong(prefix.substring(a + 1, b)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "\u2026";
    }

    /** Keeps the latest value per key, dropping tombstoned keys: what a compacted topic converges to. */
    public static List<ChangelogEntry> live(List<ChangelogEntry> withTombstones) {
        Map<String, ChangelogEntry> m = new LinkedHashMap<>();
        for (ChangelogEntry e : withTombstones) {
            m.remove(e.key());
            if (e.value() != null) {
                m.put(e.key(), e);
            }
        }
        return new ArrayList<>(m.values());
    }
}
