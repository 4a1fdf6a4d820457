package org.o1pruner.reward;

import org.o1pruner.schema.GroupKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The reward service's open groups: samples wait here until all K of their group
 * have arrived, since the reward of each depends on the means of all of them.
 *
 * <p>Pure and single-threaded (one instance per stream task); time is whatever the
 * caller passes in, so tests and restores control it. Decisions it makes:
 * <ul>
 *   <li>a sample whose (group, index) is already buffered is a {@link Status#DUPLICATE};</li>
 *   <li>so is a sample of a group completed recently: the last {@code rememberCompleted}
 *       completed keys are kept, oldest forgotten first, and {@link #forgotten()} hands
 *       back the ones dropped so a changelog can tombstone their markers;</li>
 *   <li>a sample that disagrees with its group's K, or whose index is outside [0, K), is
 *       {@link Status#INCONSISTENT};</li>
 *   <li>the K-th distinct index {@link Status#COMPLETED completes} the group, which
 *       leaves the buffer;</li>
 *   <li>{@link #expire(Instant)} removes groups whose first sample arrived at least the
 *       timeout ago.</li>
 * </ul>
 *
 * @param <T> the sample type (kept opaque so the buffer can be restored from any form)
 */
public final class GroupBuffer<T> {

    /** The outcome of {@link #offer}. */
    public enum Status {
        /** Buffered; the group still waits for more samples. */
        ACCEPTED,
        /** This sample completed its group; the group is in the {@link Offer}. */
        COMPLETED,
        /** Same group and sample index as one already seen, or a group already completed: dropped. */
        DUPLICATE,
        /** A sample of a group that already timed out: too late to share its group's means. */
        LATE,
        /** K disagrees with the group's K or the index is out of [0, K): not buffered. */
        INCONSISTENT
    }

    /**
     * What {@link #offer} decided.
     *
     * @param status the decision
     * @param group  the completed group for {@link Status#COMPLETED}, else null
     * @param detail why, for {@link Status#INCONSISTENT} and {@link Status#DUPLICATE}; else null
     */
    public record Offer<T>(Status status, Group<T> group, String detail) {}

    /**
     * A group leaving the buffer, complete or expired.
     *
     * @param key          the group
     * @param expectedK    K the samples announced
     * @param firstArrival when its first sample arrived
     * @param samples      the distinct samples in sample-index order (size K when complete)
     * @param indices      their sample indices, same order
     */
    public record Group<T>(GroupKey key, int expectedK, Instant firstArrival, List<T> samples, List<Integer> indices) {
        /** Whether all K samples are present. */
        public boolean complete() {
            return samples.size() == expectedK;
        }
    }

    private static final class Open<T> {
        final int k;
        final Instant firstArrival;
        final TreeMap<Integer, T> byIndex = new TreeMap<>();

        Open(int k, Instant firstArrival) {
            this.k = k;
            this.firstArrival = firstArrival;
        }

        Group<T> close(GroupKey key) {
            return new Group<>(key, k, firstArrival, List.copyOf(byIndex.values()), List.copyOf(byIndex.keySet()));
        }
    }

    private final Duration timeout;
    private final int rememberCompleted;
    private final Map<GroupKey, Open<T>> open = new HashMap<>();
    /** Recently finished groups, oldest first; the value says whether the group timed out. */
    private final LinkedHashMap<GroupKey, Boolean> completed = new LinkedHashMap<>();
    private final List<GroupKey> forgotten = new ArrayList<>();
    private int bufferedSamples;

    /**
     * @param timeout           how long a group may stay open after its first sample arrived
     * @param rememberCompleted how many completed group keys to remember for de-duplication ({@code >= 0})
     */
    public GroupBuffer(Duration timeout, int rememberCompleted) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("group timeout must be positive, got " + timeout);
        }
        if (rememberCompleted < 0) {
            throw new IllegalArgumentException("rememberCompleted must be >= 0, got " + rememberCompleted);
        }
        this.rememberCompleted = rememberCompleted;
    }

    /**
     * Offers one sample.
     *
     * @param key     its group
     * @param k       the group size it announces, {@code >= 1}
     * @param index   its sample index
     * @param sample  the sample
     * @param arrival when it arrived (opens the group's timeout when it is the first)
     */
    public Offer<T> offer(GroupKey key, int k, int index, T sample, Instant arrival) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(arrival, "arrival");
        if (k < 1 || index < 0 || index >= k) {
            return new Offer<>(Status.INCONSISTENT, null, "sample index " + index + " outside [0, " + k + ")");
        }
        Boolean expired = completed.get(key);
        if (expired != null) {
            return expired
                    ? new Offer<>(Status.LATE, null, "group " + key + " timed out before this sample arrived")
                    : new Offer<>(Status.DUPLICATE, null, "group " + key + " already completed");
        }
        Open<T> g = open.get(key);
        if (g == null) {
            g = new Open<>(k, arrival);
            open.put(key, g);
        } else if (g.k != k) {
            return new Offer<>(Status.INCONSISTENT, null,
                    "sample announces K=" + k + " but its group has K=" + g.k);
        }
        if (g.byIndex.containsKey(index)) {
            return new Offer<>(Status.DUPLICATE, null, "sample index " + index + " already buffered");
        }
        g.byIndex.put(index, sample);
        bufferedSamples++;
        if (g.byIndex.size() < g.k) {
            return new Offer<>(Status.ACCEPTED, null, null);
        }
        markCompleted(key, false);
        return new Offer<>(Status.COMPLETED, g.close(key), null);
    }

    /**
     * Removes and returns the groups whose first sample arrived at or before {@code now − timeout},
     * oldest first. Expired groups are remembered as completed, so late samples of theirs are duplicates.
     */
    public List<Group<T>> expire(Instant now) {
        Instant cutoff = now.minus(timeout);
        List<Group<T>> out = new ArrayList<>();
        for (Map.Entry<GroupKey, Open<T>> e : open.entrySet()) {
            if (!e.getValue().firstArrival.isAfter(cutoff)) {
                out.add(e.getValue().close(e.getKey()));
            }
        }
        out.sort((a, b) -> a.firstArrival().compareTo(b.firstArrival()));
        for (Group<T> g : out) {
            markCompleted(g.key(), true);
        }
        return out;
    }

    /**
     * Records that a group finished elsewhere (for example, read back from a changelog marker
     * after a restart), so that its later samples are {@link Status#DUPLICATE} or, when it
     * {@code expired}, {@link Status#LATE}.
     */
    public void markCompleted(GroupKey key, boolean expired) {
        Open<T> dropped = open.remove(key);
        if (dropped != null) {
            bufferedSamples -= dropped.byIndex.size();
        }
        if (rememberCompleted == 0) {
            return;
        }
        completed.remove(key);
        completed.put(key, expired);
        while (completed.size() > rememberCompleted) {
            Iterator<GroupKey> it = completed.keySet().iterator();
            forgotten.add(it.next());
            it.remove();
        }
    }

    /** Completed keys dropped from memory since the last call (their markers may be deleted). */
    public List<GroupKey> forgotten() {
        if (forgotten.isEmpty()) {
            return List.of();
        }
        List<GroupKey> out = List.copyOf(forgotten);
        forgotten.clear();
        return out;
    }

    /** Whether the group was completed or expired recently enough to be remembered. */
    public boolean isCompleted(GroupKey key) {
        return completed.containsKey(key);
    }

    /** Removes every open group and remembered key (a partition was revoked). */
    public void clear() {
        open.clear();
        completed.clear();
        forgotten.clear();
        bufferedSamples = 0;
    }

    /** Open (incomplete) groups. */
    public int openGroups() {
        return open.size();
    }

    /** Samples held in open groups. */
    public int bufferedSamples() {
        return bufferedSamples;
    }

    /** The keys of the open groups, unordered. */
    public java.util.Set<GroupKey> openKeys() {
        return Collections.unmodifiableSet(open.keySet());
    }
}
