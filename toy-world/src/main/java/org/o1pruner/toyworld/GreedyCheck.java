package org.o1pruner.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.KvCache;

/**
 * Greedy decoding of toy problems with the engine (batched, left-padded, KV cache), to judge a
 * reference model's competence before it is used: DESIGN.md §5 asks that greedy accuracy on easy
 * problems be above 90 % before anything else is judged.
 */
public final class GreedyCheck {

    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{(-?\\d+)\\}");

    /**
     * One decoded answer.
     *
     * @param problem  the problem
     * @param variant  the prompt used
     * @param text     the decoded response, up to (not including) the end-of-sequence token
     * @param tokens   response tokens before the end-of-sequence token
     * @param finished whether the end-of-sequence token came within the budget
     */
    public record Outcome(ToyProblem problem, Variant variant, String text, int tokens, boolean finished) {

        /** The last boxed integer, if any. */
        public Long boxed() {
            Matcher m = BOXED.matcher(text);
            Long last = null;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        }

        /** Whether the last boxed answer is exact. */
        public boolean correct() {
            Long b = boxed();
            return b != null && b == problem.answerValue();
        }
    }

    private GreedyCheck() {
    }

    /** Decodes every problem greedily, {@code batchSize} at a time, at most {@code maxNew} tokens each. */
    public static List<Outcome> run(CausalLM model, List<ToyProblem> problems, Variant variant, int maxNew,
                                    int batchSize) {
        List<Outcome> out = new ArrayList<>(problems.size());
        try (GradMode.Scope ignored = GradMode.disabled()) {
            for (int from = 0; from < problems.size(); from += batchSize) {
                out.addAll(batch(model, problems.subList(from, Math.min(problems.size(), from + batchSize)), variant,
                        maxNew));
            }
        }
        return out;
    }

    private static List<Outcome> batch(CausalLM model, List<ToyProblem> problems, Variant variant, int maxNew) {
        ToyVocabulary vocab = ToyVocabulary.get();
        int b = problems.size();
        int[][] prompts = new int[b][];
        int width = 0;
        for (int i = 0; i < b; i++) {
            prompts[i] = vocab.encode(ToyPrompt.render(problems.get(i), variant));
            width = Math.max(width, prompts[i].length);
        }
        long[] ids = new long[b * width];
        long[] mask = new long[b * width];
        for (int i = 0; i < b; i++) {
            int pad = width - prompts[i].length;
            for (int t = 0; t < width; t++) {
                ids[i * width + t] = t < pad ? vocab.padId() : prompts[i][t - pad];
                mask[i * width + t] = t < pad ? 0 : 1;
            }
        }
        int eos = vocab.eosId();
        List<List<Integer>> generated = new ArrayList<>();
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            generated.add(new ArrayList<>());
        }
        try (NDManager scope = model.manager().newSubManager();
                KvCache cache = model.newCache(b, width + maxNew, scope)) {
            NDArray attention = scope.create(mask, new Shape(b, width));
            NDArray input = scope.create(ids, new Shape(b, width));
            NDIndex last = new NDIndex(":, -1, :");
            for (int step = 0; step < maxNew; step++) {
                try (NDManager stepScope = scope.newSubManager()) {
                    input.attach(stepScope);
                    NDArray logits = model.forward(input, attention, cache);
                    long[] next = logits.get(last).argMax(-1).toType(DataType.INT64, false).toLongArray();
                    boolean all = true;
                    for (int i = 0; i < b; i++) {
                        if (!done[i]) {
                            if (next[i] == eos) {
                                done[i] = true;
                            } else {
                                generated.get(i).add((int) next[i]);
                            }
                        }
                        all &= done[i];
                    }
                    if (all) {
                        break;
                    }
                    input = scope.create(next, new Shape(b, 1));
                    NDArray grown = NDArrays.concat(new ai.djl.ndarray.NDList(attention,
                            scope.ones(new Shape(b, 1), DataType.INT64)), 1);
                    attention.close();
                    attention = grown;
                }
            }
        }
        List<Outcome> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int[] toks = generated.get(i).stream().mapToInt(Integer::intValue).toArray();
            out.add(new Outcome(problems.get(i), variant, vocab.decode(toks), toks.length, done[i]));
        }
        return out;
    }

    /** Accuracy, mean length and finish rate per prompt variant and difficulty bucket, as a Markdown table. */
    public static String summary(List<Outcome> outcomes) {
        Map<Variant, Map<Difficulty, double[]>> acc = new EnumMap<>(Variant.class);
        for (Outcome o : outcomes) {
            double[] a = acc.computeIfAbsent(o.variant(), v -> new EnumMap<>(Difficulty.class))
                    .computeIfAbsent(o.problem().difficulty(), d -> new double[4]);
            a[0]++;
            a[1] += o.correct() ? 1 : 0;
            a[2] += o.tokens();
            a[3] += o.finished() ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder("| bucket | variant | problems | greedy accuracy | mean length | finished |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: |\n");
        acc.forEach((variant, byBucket) -> byBucket.forEach((bucket, a) -> sb.append(String.format(Locale.ROOT,
                "| %s | %s | %.0f | %.1f %% | %.1f | %.1f %% |%n", bucket.tag(),
                variant.name().toLowerCase(Locale.ROOT), a[0], 100 * a[1] / a[0], a[2] / a[0], 100 * a[3] / a[0]))));
        return sb.toString();
    }
}
