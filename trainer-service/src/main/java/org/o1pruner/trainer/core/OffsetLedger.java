package org.o1pruner.trainer.core;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which offsets of the {@code scored} topic the trainer has finished with, per partition, so that a
 * checkpoint can say exactly what was trained and a restart neither repeats nor skips a record.
 *
 * <p>A record is <em>held</em> from the moment it is accepted until every training item made from
 * it has been trained (or selection discarded it); holds are counted, since a DPO rejected sample
 * can be in two pairs. A {@link PartitionState} snapshot gives the position (one past the highest
 * offset accepted) and the offsets below it that are still held. After {@link #restore(Map)}, the
 * consumer seeks to {@link #seekOffset(int)}; redelivered offsets below the position are accepted
 * only if they were pending, everything else below it was already trained and is skipped.
 *
 * <p>Not thread-safe; the training loop owns it.
 */
public final class OffsetLedger {

    /**
     * One partition's progress.
     *
     * @param position one past the highest offset accepted (the next offset to read)
     * @param pending offsets below {@code position} not yet finished, ascending
     */
    public record PartitionState(long position, SortedSet<Long> pending) {
        public PartitionState {
            if (position < 0) {
                throw new IllegalArgumentException("position must be >= 0, got " + position);
            }
            pending = Collections.unmodifiableSortedSet(new TreeSet<>(pending));
            if (!pending.isEmpty() && (pending.first() < 0 || pending.last() >= position)) {
                throw new IllegalArgumentException("pending offsets must be in [0, position): " + pending
                        + " with position " + position);
            }
        }
    }

    private static final class Part {
        long position;
        final TreeMap<Long, Integer> holds = new TreeMap<>();
        final TreeSet<Long> replay = new TreeSet<>();
    }

    private final Map<Integer, Part> parts = new TreeMap<>();

    /** A ledger that has seen nothing (every partition starts at offset 0). */
    public OffsetLedger() {}

    /** A ledger resumed from a checkpoint's snapshot. */
    public static OffsetLedger restore(Map<Integer, PartitionState> snapshot) {
        OffsetLedger l = new OffsetLedger();
        snapshot.forEach((p, s) -> {
            Part part = l.part(p);
            part.position = s.position();
            part.replay.addAll(s.pending());
        });
        return l;
    }

    /**
     * Offers a record just read. Returns true (and holds it once) when it must be processed;
     * false when it was already finished before a restart, or is a repeat of one already accepted.
     */
    public boolean accept(int partition, long offset) {
        Part p = part(partition);
        boolean fresh = offset >= p.position;
        boolean replayed = p.replay.remove(offset);
        if (!fresh && !replayed) {
            return false;
        }
        if (p.holds.containsKey(offset)) {
            return false;
        }
        p.holds.put(offset, 1);
        p.position = Math.max(p.position, offset + 1);
        return true;
    }

    /** Adds one hold on an accepted offset. */
    public void hold(int partition, long offset) {
        Part p = part(partition);
        Integer n = p.holds.get(offset);
        if (n == null) {
            throw new IllegalStateException("offset " + partition + "/" + offset + " is not held; accept it first");
        }
        p.holds.put(offset, n + 1);
    }

    /** Releases one hold; the offset is finished when its last hold goes. */
    public void release(int partition, long offset) {
        Part p = part(partition);
        Integer n = p.holds.get(offset);
        if (n == null) {
            throw new IllegalStateException("offset " + partition + "/" + offset + " is not held");
        }
        if (n == 1) {
            p.holds.remove(offset);
        } else {
            p.holds.put(offset, n - 1);
        }
    }

    /** Offsets currently held (accepted, not finished) over all partitions. */
    public int heldCount() {
        return parts.values().stream().mapToInt(p -> p.holds.size()).sum();
    }

    /** Where the consumer must start reading a partition: the lowest pending offset or the position. */
    public long seekOffset(int partition) {
        Part p = parts.get(partition);
        if (p == null) {
            return 0;
        }
        long min = p.position;
        if (!p.holds.isEmpty()) {
            min = Math.min(min, p.holds.firstKey());
        }
        if (!p.replay.isEmpty()) {
            min = Math.min(min, p.replay.first());
        }
        return min;
    }

    /** Every partition's position and unfinished offsets (held now or awaiting redelivery). */
    public Map<Integer, PartitionState> snapshot() {
        Map<Integer, PartitionState> out = new TreeMap<>();
        parts.forEach((id, p) -> {
            TreeSet<Long> pending = new TreeSet<>(p.holds.keySet());
            pending.addAll(p.replay);
            out.put(id, new PartitionState(p.position, pending));
        });
        return Collections.unmodifiableMap(out);
    }

    private Part part(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        return parts.computeIfAbsent(partition, k -> new Part());
    }
}
