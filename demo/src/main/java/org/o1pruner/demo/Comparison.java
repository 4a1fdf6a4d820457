package org.o1pruner.demo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.grading.aes.Wilson;

/**
 * The Table-2-style comparison, pure: per method and decoding (greedy, sampled) the accuracy
 * with its Wilson 95 % interval, the mean length and AES against the baseline of the same
 * decoding, in both variants (the formula as written, and the paper's printed table, which uses
 * +β·|ΔA| also when accuracy fell). The baseline scores 0 by construction.
 */
public final class Comparison {
    /** The two decodings every method is evaluated with. */
    public enum Decoding {
        /** The paper's protocol: temperature 0, one solution per problem. */
        GREEDY("greedy"),
        /** Sampling as in pre-sampling (temperature, top-p), several solutions per problem. */
        SAMPLED("sampled");

        private final String key;

        Decoding(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * One cell group of the table.
     *
     * @param deltaLength   (L_base − L) / L_base
     * @param deltaAccuracy (Acc − Acc_base) / Acc_base
     */
    public record Row(Method method, Decoding decoding, EvalSummary summary, double deltaLength,
                      double deltaAccuracy, double aes, double aesPaper) {
        public Row {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(decoding, "decoding");
            Objects.requireNonNull(summary, "summary");
        }

        public Wilson.Interval interval() {
            return summary.accuracy95();
        }
    }

    private Comparison() {}

    /**
     * The rows, methods in {@link Method} order, greedy before sampled; methods without a
     * result for a decoding are left out of it.
     *
     * @throws IllegalArgumentException when a decoding has results but no baseline
     */
    public static List<Row> rows(Map<Method, Map<Decoding, EvalSummary>> results, AesWeights weights) {
        List<Row> out = new ArrayList<>();
        for (Decoding d : Decoding.values()) {
            Map<Method, EvalSummary> byMethod = new EnumMap<>(Method.class);
            results.forEach((m, perDecoding) -> {
                EvalSummary s = perDecoding.get(d);
                if (s != null) {
                    byMethod.put(m, s);
                }
            });
            if (byMethod.isEmpty()) {
                continue;
            }
            EvalSummary base = byMethod.get(Method.BASELINE);
            if (base == null) {
                throw new IllegalArgumentException("no baseline result for " + d.key() + " decoding");
            }
            for (Map.Entry<Method, EvalSummary> e : byMethod.entrySet()) {
                Aes.Scores s = e.getKey() == Method.BASELINE ? new Aes.Scores(0, 0, 0, 0)
                        : e.getValue().against(base, weights);
                out.add(new Row(e.getKey(), d, e.getValue(), s.deltaLength(), s.deltaAccuracy(), s.formula(),
                        s.paperTable()));
            }
        }
        return out;
    }

    /** The rows as a Markdown table (accuracy in percent with its interval, length in tokens). */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| method | decoding | accuracy % (95 % CI) | mean length (tokens) | ΔL | ΔA | AES | AES (paper table) | n |\n");
        b.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Wilson.Interval ci = r.interval();
            b.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%.1f–%.1f) | %.1f | %+.3f | %+.3f | %.3f | %.3f | %d |%n",
                    r.method().title(), r.decoding().key(), 100 * r.summary().accuracy(), 100 * ci.low(), 100 * ci.high(),
                    r.summary().meanLength(), r.deltaLength(), r.deltaAccuracy(), r.aes(), r.aesPaper(), r.summary().n()));
        }
        return b.toString();
    }
}
