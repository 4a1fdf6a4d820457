package org.o1pruner.reward;

import org.o1pruner.schema.GroupKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GroupBufferTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final GroupKey A = new GroupKey("p-1", 0, 3);
    private static final GroupKey B = new GroupKey("p-2", 0, 3);

    @Test
    void completesWhenAllKDistinctIndicesArriveInAnyOrder() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 10);
        assertEquals(GroupBuffer.Status.ACCEPTED, buf.offer(A, 3, 2, "c", T0).status());
        assertEquals(GroupBuffer.Status.ACCEPTED, buf.offer(A, 3, 0, "a", T0).status());
        assertEquals(2, buf.bufferedSamples());
        var done = buf.offer(A, 3, 1, "b", T0.plusSeconds(1));
        assertEquals(GroupBuffer.Status.COMPLETED, done.status());
        assertEquals(List.of("a", "b", "c"), done.group().samples());
        assertEquals(List.of(0, 1, 2), done.group().indices());
        assertTrue(done.group().complete());
        assertEquals(T0, done.group().firstArrival());
        assertEquals(0, buf.openGroups());
        assertEquals(0, buf.bufferedSamples());
    }

    @Test
    void duplicatesAreDroppedWhileOpenAndAfterCompletion() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 10);
        buf.offer(A, 2, 0, "a", T0);
        var dup = buf.offer(A, 2, 0, "a-again", T0);
        assertEquals(GroupBuffer.Status.DUPLICATE, dup.status());
        assertNull(dup.group());
        assertEquals(1, buf.bufferedSamples());
        assertEquals(GroupBuffer.Status.COMPLETED, buf.offer(A, 2, 1, "b", T0).status());
        assertEquals(GroupBuffer.Status.DUPLICATE, buf.offer(A, 2, 1, "b", T0).status());
        assertEquals(0, buf.openGroups(), "a late duplicate must not reopen the group");
    }

    @Test
    void groupsAreKeyedByProblemRoundAndVersion() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 10);
        buf.offer(A, 2, 0, "a", T0);
        assertEquals(GroupBuffer.Status.ACCEPTED, buf.offer(new GroupKey("p-1", 1, 3), 2, 0, "x", T0).status());
        assertEquals(GroupBuffer.Status.ACCEPTED, buf.offer(new GroupKey("p-1", 0, 4), 2, 0, "y", T0).status());
        assertEquals(3, buf.openGroups());
    }

    @Test
    void inconsistentKOrIndexIsRejected() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 10);
        buf.offer(A, 4, 0, "a", T0);
        assertEquals(GroupBuffer.Status.INCONSISTENT, buf.offer(A, 5, 1, "b", T0).status());
        assertEquals(GroupBuffer.Status.INCONSISTENT, buf.offer(B, 4, 4, "b", T0).status());
        assertEquals(GroupBuffer.Status.INCONSISTENT, buf.offer(B, 4, -1, "b", T0).status());
        assertEquals(GroupBuffer.Status.INCONSISTENT, buf.offer(B, 0, 0, "b", T0).status());
        assertEquals(1, buf.bufferedSamples());
    }

    @Test
    void expiresGroupsPastTheTimeoutFromTheirFirstSample() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 10);
        buf.offer(A, 3, 0, "a", T0);
        buf.offer(B, 3, 1, "x", T0.plusSeconds(20));
        buf.offer(A, 3, 1, "b", T0.plusSeconds(25));
        assertTrue(buf.expire(T0.plusSeconds(29)).isEmpty());
        var expired = buf.expire(T0.plusSeconds(30));
        assertEquals(1, expired.size());
        assertEquals(A, expired.get(0).key());
        assertEquals(List.of("a", "b"), expired.get(0).samples());
        assertFalse(expired.get(0).complete());
        assertEquals(1, buf.openGroups());
        assertEquals(1, buf.bufferedSamples());
        assertEquals(GroupBuffer.Status.LATE, buf.offer(A, 3, 2, "c", T0.plusSeconds(31)).status(),
                "a straggler of an expired group is not buffered again");
        assertEquals(List.of(B), buf.expire(T0.plusSeconds(60)).stream().map(GroupBuffer.Group::key).toList());
    }

    @Test
    void remembersOnlyTheNewestCompletedKeysAndReportsForgottenOnes() {
        GroupBuffer<String> buf = new GroupBuffer<>(Duration.ofSeconds(30), 2);
        for (int p = 0; p < 3; p++) {
            buf.offer(new GroupKey("p" + p, 0, 0), 1, 0, "s", T0);
        }
        assertEquals(List.of(new GroupKey("p0", 0, 0)), buf.forgotten());
        assertEquals(List.of(), buf.forgotten());
        assertFalse(buf.isCompleted(new GroupKey("p0", 0, 0)));
        assertTrue(buf.isCompleted(new GroupKey("p2", 0, 0)));
    }

    @Property(tries = 200)
    void everyGroupCompletesExactlyOnceWhateverTheOrderAndDuplicates(
            @ForAll @IntRange(min = 1, max = 12) int k, @ForAll @IntRange(min = 1, max = 20) int groups,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        List<int[]> arrivals = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < k; i++) {
                arrivals.add(new int[] {g, i});
                if (rnd.nextInt(4) == 0) {
                    arrivals.add(new int[] {g, i}); // a redelivery
                }
            }
        }
        Collections.shuffle(arrivals, rnd);
        GroupBuffer<Integer> buf = new GroupBuffer<>(Duration.ofHours(1), 1000);
        Set<Integer> completed = new HashSet<>();
        int duplicates = 0;
        for (int[] a : arrivals) {
            var o = buf.offer(new GroupKey("p" + a[0], 0, 0), k, a[1], a[1], T0);
            switch (o.status()) {
                case COMPLETED -> {
                    assertTrue(completed.add(a[0]), "group completed twice");
                    assertEquals(k, o.group().samples().size());
                    for (int i = 0; i < k; i++) {
                        assertEquals(i, o.group().samples().get(i));
                    }
                }
                case DUPLICATE -> duplicates++;
                case ACCEPTED -> { }
                case INCONSISTENT, LATE -> throw new AssertionError("unexpected " + o.detail());
            }
        }
        assertEquals(groups, completed.size());
        assertEquals(arrivals.size() - groups * k, duplicates);
        assertEquals(0, buf.openGroups());
        assertEquals(0, buf.bufferedSamples());
    }
}
