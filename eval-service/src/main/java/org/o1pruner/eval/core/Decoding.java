package org.o1pruner.eval.core;

import java.util.Locale;

/**
 * How solutions are drawn for an evaluation, and the label that names it on {@code evals} records
 * (results are only comparable within one label). The paper evaluates greedy, one sample per
 * problem; sampling with {@code samples > 1} measures the sampled behaviour the trainer sees.
 *
 * @param mode        greedy or sampled
 * @param samples     solutions per problem, ≥ 1 (1 for greedy: greedy repeats itself)
 * @param temperature sampling temperature, &gt; 0 when sampled (ignored for greedy)
 * @param topP        nucleus mass in (0, 1] when sampled (ignored for greedy)
 * @param fastPrompt  whether the problem carries the paper's fast-solving instruction
 */
public record Decoding(Mode mode, int samples, double temperature, double topP, boolean fastPrompt) {

    /** Greedy (temperature 0) or sampled. */
    public enum Mode { GREEDY, SAMPLE }

    public Decoding {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples per problem must be >= 1, got " + samples);
        }
        if (mode == Mode.GREEDY) {
            if (samples != 1) {
                throw new IllegalArgumentException("greedy decoding is deterministic: use 1 sample per problem, not " + samples);
            }
            temperature = 0;
            topP = 1;
        } else {
            if (!(temperature > 0) || !Double.isFinite(temperature)) {
                throw new IllegalArgumentException("sampling needs a finite temperature > 0, got " + temperature);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
            }
        }
    }

    /** The paper's evaluation: greedy, one solution per problem, normal prompt. */
    public static Decoding greedy() {
        return new Decoding(Mode.GREEDY, 1, 0, 1, false);
    }

    /** Sampled decoding with {@code samples} solutions per problem. */
    public static Decoding sampled(int samples, double temperature, double topP) {
        return new Decoding(Mode.SAMPLE, samples, temperature, topP, false);
    }

    /** The same decoding with or without the fast-solving prompt. */
    public Decoding withFastPrompt(boolean fast) {
        return new Decoding(mode, samples, temperature, topP, fast);
    }

    /**
     * The label: {@code greedy}, {@code sample-t0.5-p0.8-n4}, prefixed {@code fast-} for the
     * fast-solving prompt. Numbers print without trailing zeros.
     */
    public String label() {
        String core = mode == Mode.GREEDY ? "greedy"
                : "sample-t" + num(temperature) + "-p" + num(topP) + "-n" + samples;
        return fastPrompt ? "fast-" + core : core;
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
