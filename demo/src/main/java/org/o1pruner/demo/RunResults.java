package org.o1pruner.demo;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.o1pruner.eval.core.EvalSummary;

/**
 * Everything a demo run measured, handed to the {@link ReportWriter}: the settings, the
 * pre-sampling statistics, how each method was trained, the evaluations per method and decoding,
 * the eval service's verdict on every O1-Pruner checkpoint, and phase timings.
 */
public record RunResults(Map<String, Object> settings, Presampling presampling, Map<Method, Training> training,
                         Map<Method, Map<Comparison.Decoding, Evaluated>> evaluations, List<CheckpointPoint> checkpoints,
                         Map<String, Double> phaseSeconds, String modelDir, int metricsPort) {

    public RunResults {
        settings = new LinkedHashMap<>(settings);
        training = new EnumMap<>(training);
        Map<Method, Map<Comparison.Decoding, Evaluated>> copy = new EnumMap<>(Method.class);
        evaluations.forEach((m, d) -> copy.put(m, new EnumMap<>(d)));
        evaluations = copy;
        checkpoints = List.copyOf(checkpoints);
        phaseSeconds = new LinkedHashMap<>(phaseSeconds);
    }

    /**
     * The pre-sampled data: lengths and accuracy of the N×K samples, and the paper's length
     * disharmony (Table 1): per problem, longest over shortest length, and the accuracy of the
     * shortest and of the longest sample.
     */
    public record Presampling(int problems, int samples, double accuracy, double meanLength, double meanLongestOverShortest,
                              double shortestAccuracy, double longestAccuracy, int truncated) {}

    /**
     * How one method was trained.
     *
     * @param items     training items used (samples, or DPO pairs), all epochs
     * @param steps     optimizer steps
     * @param version   the final checkpoint version (0: nothing to train, the reference model is used)
     */
    public record Training(long items, long steps, long version, int epochs, double lr, double seconds) {}

    /**
     * An evaluation result and where it came from.
     *
     * @param label  the decoding label (e.g. {@code greedy}, {@code fast-sample-t0.5-p0.8-n2})
     * @param source {@code eval-service} (an {@code evals} record) or {@code library} (the Evaluator called in-process)
     */
    public record Evaluated(EvalSummary summary, String label, String source) {}

    /** The eval service's greedy result for one O1-Pruner checkpoint (version 0 = baseline). */
    public record CheckpointPoint(long version, long step, int n, int correct, double accuracy, double meanLength,
                                  double aes, double aesPaper, boolean promoted) {}

    /** The summaries only, as {@link Comparison#rows} wants them. */
    public Map<Method, Map<Comparison.Decoding, EvalSummary>> summaries() {
        Map<Method, Map<Comparison.Decoding, EvalSummary>> out = new EnumMap<>(Method.class);
        evaluations.forEach((m, byDecoding) -> {
            Map<Comparison.Decoding, EvalSummary> s = new EnumMap<>(Comparison.Decoding.class);
            byDecoding.forEach((d, e) -> s.put(d, e.summary()));
            out.put(m, s);
        });
        return out;
    }
}
