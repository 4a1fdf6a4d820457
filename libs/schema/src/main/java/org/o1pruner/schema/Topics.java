package org.o1pruner.schema;

import java.util.List;

/** The one place that names the pipeline's Kafka topics (DESIGN.md §3). */
public final class Topics {
    /** Problems to sample, keyed by problem id. */
    public static final String PROMPTS = "o1p.prompts";
    /** Generated solutions, keyed by problem id. */
    public static final String SAMPLES = "o1p.samples";
    /** Graded solutions with the length-harmonizing reward, keyed by problem id. */
    public static final String SCORED = "o1p.scored";
    /** Published checkpoints, keyed by run id. */
    public static final String CHECKPOINTS = "o1p.checkpoints";
    /** Evaluation results, keyed by run id. */
    public static final String EVALS = "o1p.evals";
    /** Records no service could process, with the reason in a header. */
    public static final String DEAD_LETTER = "o1p.dead-letter";

    /** Every topic, in pipeline order. */
    public static final List<String> ALL = List.of(PROMPTS, SAMPLES, SCORED, CHECKPOINTS, EVALS, DEAD_LETTER);

    private Topics() {}
}
