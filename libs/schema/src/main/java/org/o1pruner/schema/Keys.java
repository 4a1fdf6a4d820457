package org.o1pruner.schema;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Kafka record keys: the problem id (UTF-8) for prompts, samples and scored
 * samples, so that all K samples of a problem share a partition; the run id
 * (UTF-8) for checkpoints and evaluations, so that a run's history stays ordered.
 */
public final class Keys {
    private Keys() {}

    /** Key of a prompt: its problem id. */
    public static byte[] of(PromptRecord r) {
        return utf8(r.problemId(), "problemId");
    }

    /** Key of a sample: its problem id. */
    public static byte[] of(SampleRecord r) {
        return utf8(r.problemId(), "problemId");
    }

    /** Key of a scored sample: its problem id. */
    public static byte[] of(ScoredRecord r) {
        return utf8(r.sample().problemId(), "problemId");
    }

    /** Key of a checkpoint: its run id. */
    public static byte[] of(CheckpointRecord r) {
        return utf8(r.runId(), "runId");
    }

    /** Key of an evaluation: its run id. */
    public static byte[] of(EvalRecord r) {
        return utf8(r.runId(), "runId");
    }

    /** Key for a problem id. */
    public static byte[] forProblem(String problemId) {
        return utf8(problemId, "problemId");
    }

    /** Key for a run id. */
    public static byte[] forRun(String runId) {
        return utf8(runId, "runId");
    }

    /** The id a key holds (for logs and dead-letter inspection); null for a null key. */
    public static String decode(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String id, String what) {
        Objects.requireNonNull(id, what);
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
