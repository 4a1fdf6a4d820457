package org.o1pruner.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.Grader;
import org.o1pruner.grading.reward.LengthHarmonizingReward;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.Keys;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.SampleRecord;
import org.o1pruner.schema.ScoredRecord;

class RewardTaskTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RewardMetrics metrics = new RewardMetrics(registry, -2, 4);
    private final RecordingOutput out = new RecordingOutput(clock);

    private RewardTask task(IncompleteGroupPolicy policy) {
        return new RewardTask(new RewardScorer(Grader.defaults(), new LengthHarmonizingReward(2, -2, 4)),
                Duration.ofSeconds(30), policy, 1000, metrics, clock, System::nanoTime);
    }

    private static byte[] enc(SampleRecord s) {
        return Codecs.SAMPLE.encode(s);
    }

    private void feed(RewardTask t, SampleRecord s, long offset) {
        t.onSample(0, offset, Keys.of(s), enc(s), out);
    }

    @Test
    void scoresEveryGroupOnceItsKSamplesArrive() {
        RewardTask t = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        long off = 0;
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 4; p++) {
                feed(t, Samples.answering("p" + p, i, 3, i == 2 ? "0" : "42", "42", 10 * (i + 1)), off++);
            }
        }
        assertEquals(12, out.scored.size());
        assertEquals(0, t.openGroups());
        // lengths 10, 20, 30; first two correct: L̄ = 20, Ā = 2/3
        for (ScoredRecord r : out.scored) {
            int i = r.sample().sampleIndex();
            double expected = 20.0 / (10 * (i + 1)) - 1 + 2 * ((i == 2 ? 0 : 1) - 2.0 / 3);
            assertEquals(expected, r.rawReward(), 1e-12);
        }
        assertEquals(12.0, registry.get(RewardMetrics.SAMPLES_SCORED).tag("dataset", "gsm8k").counter().count());
        assertEquals(8.0, registry.get(RewardMetrics.SAMPLES_CORRECT).tag("dataset", "gsm8k").counter().count());
        // each group: 2 samples logged then tombstoned, 1 done marker; nothing live but markers
        List<RewardTask.ChangelogEntry> live = out.changelogOf(0);
        assertEquals(4, live.size());
        assertTrue(live.stream().allMatch(e -> e.key().endsWith(RewardTask.DONE_SUFFIX)));
    }

    @Test
    void garbageAndInvalidRecordsAreRejectedWithTheirReasonAndLeaveNoState() {
        RewardTask t = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        byte[] garbage = "not a record".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(RecordException.class, () -> t.onSample(0, 7, null, garbage, out));
        assertEquals(DeadLetterReason.UNDECODABLE, e.reason());
        var e2 = assertThrows(RecordException.class, () -> t.onSample(0, 8, null, null, out));
        assertEquals(DeadLetterReason.MISSING_FIELD, e2.reason());
        SampleRecord badTruth = Samples.answering("p", 0, 2, "42", "", 5);
        var e3 = assertThrows(RecordException.class, () -> feed(t, badTruth, 9));
        assertEquals(DeadLetterReason.INVALID, e3.reason());
        assertEquals(0, t.openGroups());
        assertTrue(out.changelog.isEmpty() && out.scored.isEmpty() && out.dead.isEmpty());
    }

    @Test
    void inconsistentKIsRejectedAndTheGroupStillCompletes() {
        RewardTask t = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        feed(t, Samples.answering("p", 0, 2, "42", "42", 5), 0);
        var e = assertThrows(RecordException.class, () -> feed(t, Samples.answering("p", 1, 3, "42", "42", 5), 1));
        assertEquals(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE, e.reason());
        feed(t, Samples.answering("p", 1, 2, "42", "42", 5), 2);
        assertEquals(2, out.scored.size());
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        RewardTask t = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        SampleRecord a = Samples.answering("p", 0, 2, "42", "42", 5);
        SampleRecord b = Samples.answering("p", 1, 2, "42", "42", 5);
        feed(t, a, 0);
        feed(t, a, 1);
        feed(t, b, 2);
        feed(t, b, 3);
        feed(t, a, 4);
        assertEquals(2, out.scored.size());
        assertEquals(3.0, registry.get(RewardMetrics.SAMPLES_DUPLICATE).counter().count());
        assertEquals(5.0, registry.get(RewardMetrics.SAMPLES_IN).counter().count());
    }

    @Test
    void expiredGroupIsEmittedFlaggedWithItsActualK() {
        RewardTask t = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        feed(t, Samples.answering("p", 0, 4, "42", "42", 10), 0);
        feed(t, Samples.answering("p", 3, 4, "1", "42", 30), 1);
        clock.advance(Duration.ofSeconds(29));
        t.punctuate(out);
        assertEquals(0, out.scored.size());
        clock.advance(Duration.ofSeconds(1));
        t.punctuate(out);
        assertEquals(2, out.scored.size());
        for (ScoredRecord r : out.scored) {
            assertTrue(r.incompleteGroup());
            assertEquals(2, r.groupSize());
            assertEquals(20.0, r.meanLengthRef(), 1e-12);
        }
        assertEquals(2.0 - 1 + 2 * 0.5, out.scored.get(0).rawReward(), 1e-12);
        var late = assertThrows(RecordException.class, () -> feed(t, Samples.answering("p", 1, 4, "42", "42", 10), 2));
        assertEquals(DeadLetterReason.GROUP_TIMEOUT, late.reason(), "a straggler is dead-lettered, not dropped");
        // and still after a restart: the marker says the group expired
        RewardTask restored = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        restored.restore(0, out.changelogOf(0), out);
        var late2 = assertThrows(RecordException.class,
                () -> feed(restored, Samples.answering("p", 2, 4, "42", "42", 10), 3));
        assertEquals(DeadLetterReason.GROUP_TIMEOUT, late2.reason());
    }

    @Test
    void expiredGroupIsDeadLetteredUnderThatPolicy() {
        RewardTask t = task(IncompleteGroupPolicy.DEAD_LETTER);
        SampleRecord a = Samples.answering("p", 0, 4, "42", "42", 10);
        feed(t, a, 11);
        clock.advance(Duration.ofMinutes(1));
        t.punctuate(out);
        assertEquals(0, out.scored.size());
        assertEquals(1, out.dead.size());
        assertEquals(DeadLetterReason.GROUP_TIMEOUT, out.dead.get(0).reason());
        assertEquals(1.0, registry.get(RewardMetrics.DEAD_LETTER_COUNT).tag("reason", "group-timeout").counter().count());
        assertEquals(11, out.dead.get(0).offset());
        assertArrayEquals(enc(a), out.dead.get(0).value());
        assertTrue(out.changelogOf(0).stream().allMatch(e -> e.key().endsWith(RewardTask.DONE_SUFFIX)));
    }

    @Test
    void openGroupsSurviveARestoreAndAreScoredExactlyOnce() {
        RewardTask first = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        feed(first, Samples.answering("half", 0, 3, "42", "42", 10), 0);
        feed(first, Samples.answering("half", 1, 3, "42", "42", 20), 1);
        feed(first, Samples.answering("done", 0, 1, "42", "42", 20), 2);
        assertEquals(1, out.scored.size());

        RewardTask second = task(IncompleteGroupPolicy.EMIT_FLAGGED);
        second.restore(0, out.changelogOf(0), out);
        assertEquals(1, second.openGroups());
        assertEquals(2, second.bufferedSamples());
        feed(second, Samples.answering("half", 2, 3, "1", "42", 30), 3);
        feed(second, Samples.answering("done", 0, 1, "42", "42", 20), 2); // redelivered after the crash
        assertEquals(4, out.scored.size());
        Set<String> ids = new HashSet<>();
        for (ScoredRecord r : out.scored) {
            assertTrue(ids.add(r.sample().problemId() + "#" + r.sample().sampleIndex()), "scored twice: " + r);
        }
        ScoredRecord last = out.scored.get(3);
        assertEquals(20.0, last.meanLengthRef(), 1e-12);
        assertEquals(2.0 / 3, last.meanAccuracyRef(), 1e-12);
    }
}
