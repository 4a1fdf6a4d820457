package org.o1pruner.reward;

import java.util.Map;

/**
 * The reward service's own topic: a compacted changelog of its open groups,
 * co-partitioned with {@link org.o1pruner.schema.Topics#SAMPLES} (partition p of the
 * changelog holds the open groups of samples partition p), so that a restarted or
 * re-assigned task rebuilds exactly the groups of the partitions it was given.
 *
 * <p>Keys are sample ids ({@code <round>/<version>/<problemId>#<index>}) with the
 * sample's encoded bytes as value, or group-done markers ({@code <round>/<version>/<problemId>!done})
 * that let a restarted task recognise late duplicates of completed groups.
 * Completing a group writes tombstones for its samples, in the same transaction as
 * its scored records.
 */
public final class RewardTopics {
    /** The changelog topic name. */
    public static final String CHANGELOG = "o1p.reward.changelog";

    /** Topic configs of the changelog: compacted, so only the latest state of each key survives. */
    public static final Map<String, String> CHANGELOG_CONFIGS = Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", "0",
            "segment.ms", "600000");

    private RewardTopics() {}
}
