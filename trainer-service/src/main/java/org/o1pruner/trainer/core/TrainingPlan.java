package org.o1pruner.trainer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.o1pruner.schema.GroupKey;

/**
 * Turns accepted scored records into training items for the configured objective, keeping the
 * {@link OffsetLedger}'s holds right: an item holds each record it uses until it is trained, and a
 * record that no item uses is released at once.
 *
 * <p>Length-harmonizing objectives need no waiting: the reward record already carries its group's
 * means, and {@link SamplesPerProblem} selects by sample index. SFT and DPO need the whole group:
 * records wait (held) until {@code groupSize} distinct samples of the group have arrived, then
 * {@link PairSelection} decides. A repeated sample index within an open group is released unused.
 * Samples without prompt or response tokens cannot be scored and are released unused.
 */
public final class TrainingPlan {
    private final Objective objective;
    private final SamplesPerProblem samplesPerProblem;
    private final OffsetLedger ledger;
    private final Map<GroupKey, Map<Integer, Tracked>> open = new LinkedHashMap<>();
    private long discarded;

    public TrainingPlan(Objective objective, SamplesPerProblem samplesPerProblem, OffsetLedger ledger) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.samplesPerProblem = Objects.requireNonNull(samplesPerProblem, "samplesPerProblem");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Offers a record the ledger has accepted (holding it once); returns the items it completes.
     */
    public List<TrainItem> offer(Tracked t) {
        if (!trainable(t)) {
            finish(List.of(t), List.of());
            return List.of();
        }
        if (!objective.needsWholeGroup()) {
            List<TrainItem> items = samplesPerProblem.selects(t.record().sample().sampleIndex())
                    ? List.of(new TrainItem.Single(t)) : List.of();
            finish(List.of(t), items);
            return items;
        }
        GroupKey key = t.record().groupKey();
        Map<Integer, Tracked> group = open.computeIfAbsent(key, k -> new HashMap<>());
        if (group.putIfAbsent(t.record().sample().sampleIndex(), t) != null) {
            finish(List.of(t), List.of());
            return List.of();
        }
        if (group.size() < t.record().groupSize()) {
            return List.of();
        }
        open.remove(key);
        List<Candidate<Tracked>> candidates = new ArrayList<>();
        for (Tracked member : group.values()) {
            candidates.add(member.candidate());
        }
        List<TrainItem> items = new ArrayList<>();
        if (objective == Objective.SFT) {
            for (Tracked s : PairSelection.sft(candidates)) {
                items.add(new TrainItem.Single(s));
            }
        } else {
            for (PairSelection.Pair<Tracked> p : PairSelection.dpo(candidates)) {
                items.add(new TrainItem.Pair(p.chosen(), p.rejected()));
            }
        }
        finish(new ArrayList<>(group.values()), items);
        return items;
    }

    /** Marks an item trained: releases its holds. */
    public void trained(TrainItem item) {
        for (Tracked t : item.sources()) {
            ledger.release(t.partition(), t.offset());
        }
    }

    /** Groups still waiting for samples (SFT, DPO). */
    public int openGroups() {
        return open.size();
    }

    /** Records released without being trained (not selected, duplicates, empty). */
    public long discarded() {
        return discarded;
    }

    private void finish(List<Tracked> arrived, List<TrainItem> items) {
        for (TrainItem item : items) {
            for (Tracked t : item.sources()) {
                ledger.hold(t.partition(), t.offset());
            }
        }
        for (Tracked t : arrived) {
            ledger.release(t.partition(), t.offset());
        }
        long used = items.stream().flatMap(i -> i.sources().stream()).distinct().count();
        discarded += arrived.size() - used;
    }

    private static boolean trainable(Tracked t) {
        return t.record().sample().promptTokenIds().length > 0 && t.record().sample().responseTokenIds().length > 0;
    }
}
