package org.o1pruner.schema;

import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of arbitrary <em>valid</em> records: unicode text (supplementary
 * characters included), empty and large arrays, extreme numbers within the rules.
 */
final class RecordArbitraries {
    private RecordArbitraries() {}

    /** Well-formed unicode strings: any code point except lone surrogates. */
    static Arbitrary<String> text(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0xD7FF)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(maxCodePoints).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    static Arbitrary<String> ids() {
        return text(24).filter(s -> !s.isEmpty());
    }

    static Arbitrary<String> variants() {
        return Arbitraries.of(PromptRecord.VARIANT_DEFAULT, PromptRecord.VARIANT_FAST);
    }

    static Arbitrary<Long> times() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    static Arbitrary<PromptRecord> prompts() {
        Arbitrary<Integer> nonNegInt = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        return Combinators.combine(
                        Combinators.combine(ids(), text(12), text(8), text(400), text(30)).as(Strings5::new),
                        Arbitraries.integers().between(1, Integer.MAX_VALUE),
                        nonNegInt,
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        variants(),
                        times())
                .as((s, k, round, version, variant, at) ->
                        new PromptRecord(s.a, s.b, s.c, s.d, s.e, k, round, version, variant, at));
    }

    /** Samples whose arrays have up to {@code maxTokens} entries. */
    static Arbitrary<SampleRecord> samples(int maxTokens) {
        Arbitrary<int[]> kAndIndex = Arbitraries.integers().between(1, 1000)
                .flatMap(k -> Arbitraries.integers().between(0, k - 1).map(i -> new int[] {k, i}));
        Arbitrary<Object[]> response = Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .array(int[].class).ofMaxSize(maxTokens)
                .flatMap(ids -> logProb().array(float[].class).ofSize(ids.length).map(lp -> new Object[] {ids, lp}));
        Arbitrary<int[]> prompt = Arbitraries.integers().between(0, 300_000).array(int[].class).ofMaxSize(maxTokens);
        Arbitrary<Head> heads = Combinators.combine(
                        ids(), text(12), Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.longs().between(0, Long.MAX_VALUE), kAndIndex, text(30), variants())
                .as(Head::new);
        return Combinators.combine(heads, prompt, response, text(600),
                        Arbitraries.of(FinishReason.class), times(), times())
                .as((h, p, r, txt, fr, gen, at) -> {
                    int[] ids = (int[]) r[0];
                    FinishReason finish = fr == FinishReason.EOS && ids.length == 0 ? FinishReason.LENGTH : fr;
                    return new SampleRecord(h.problemId, h.dataset, h.round, h.version, h.kIndex[1], h.kIndex[0],
                            h.answer, h.variant, p, ids, (float[]) r[1], txt, finish, gen, at);
                });
    }

    static Arbitrary<Float> logProb() {
        return Arbitraries.oneOf(
                Arbitraries.floats().between(-80f, 0f),
                Arbitraries.of(0f, -0f, SampleRecord.LOG_PROB_EPSILON, -Float.MIN_VALUE, -Float.MAX_VALUE));
    }

    static Arbitrary<ScoredRecord> scored(int maxTokens) {
        Arbitrary<Double> finite = finiteDoubles();
        return samples(maxTokens).flatMap(s -> Combinators.combine(
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        text(20).injectNull(0.3),
                        Arbitraries.integers().between(1, s.k()),
                        Arbitraries.doubles().between(0, 1e6).ofScale(6),
                        unit(),
                        Combinators.combine(finite, Arbitraries.doubles().between(0, 100).ofScale(6), times()).as(Tail::new))
                .as((correct, incomplete, timedOut, extracted, groupSize, meanLen, meanAcc, tail) ->
                        new ScoredRecord(s, correct && !timedOut, extracted, s.length(), meanLen, meanAcc,
                                incomplete ? groupSize : s.k(), tail.reward, tail.lambda, incomplete, timedOut,
                                tail.at)));
    }

    /** Any finite double: arbitrary bit patterns (subnormals, extremes) and everyday values. */
    static Arbitrary<Double> finiteDoubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.doubles().between(-10, 10).ofScale(9),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE));
    }

    /** Values in [0, 1], ends included. */
    static Arbitrary<Double> unit() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1).ofScale(12), Arbitraries.of(0.0, 1.0));
    }

    static Arbitrary<String> sha256() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    static Arbitrary<CheckpointRecord> checkpoints() {
        Arbitrary<Map<String, String>> files = Arbitraries.maps(text(40).filter(s -> !s.isEmpty()), sha256())
                .ofMaxSize(12);
        Arbitrary<Map<String, Double>> metrics = Arbitraries.maps(text(20), finiteDoubles()).ofMaxSize(12);
        Arbitrary<long[]> versions = Arbitraries.longs().between(0, Long.MAX_VALUE)
                .flatMap(v -> Arbitraries.longs().between(CheckpointRecord.NO_PARENT, v - 1).map(p -> new long[] {v, p}));
        return Combinators.combine(ids(), versions, Arbitraries.longs().between(0, Long.MAX_VALUE),
                        text(80).filter(s -> !s.isEmpty()), files, text(12), metrics, times())
                .as((run, vp, step, uri, f, objective, m, at) ->
                        new CheckpointRecord(run, vp[0], step, uri, f, vp[1], objective, m, at));
    }

    static Arbitrary<EvalRecord> evals() {
        Arbitrary<double[]> counts = Arbitraries.integers().between(0, 10_000_000)
                .flatMap(n -> Arbitraries.integers().between(0, n).flatMap(c -> {
                    double acc = n == 0 ? 0 : (double) c / n;
                    return Combinators.combine(unit(), unit())
                            .as((u, v) -> new double[] {n, c, acc, acc * u, Math.min(1.0, acc + (1 - acc) * v)});
                }));
        return Combinators.combine(ids(), Arbitraries.longs().between(0, Long.MAX_VALUE), text(16), text(16),
                        counts, Arbitraries.doubles().between(0, 1e6).ofScale(6),
                        Combinators.combine(finiteDoubles(), finiteDoubles()).as((a, b) -> new double[] {a, b}),
                        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), times())
                                .as((b, p, at) -> new Object[] {b, p, at}))
                .as((run, version, dataset, decoding, c, meanLen, aes, flags) ->
                        new EvalRecord(run, version, dataset, decoding, (int) c[0], (int) c[1], c[2], c[3], c[4],
                                meanLen, aes[0], aes[1], (Boolean) flags[0], (Boolean) flags[1], (Long) flags[2]));
    }

    private record Strings5(String a, String b, String c, String d, String e) {}

    private record Head(String problemId, String dataset, int round, long version, int[] kIndex, String answer,
                        String variant) {}

    private record Tail(double reward, double lambda, long at) {}
}
