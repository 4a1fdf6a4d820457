package org.o1pruner.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.SampleRecord;

/**
 * Synthetic but realistic samples for the reward benchmark: long-thought arithmetic traces
 * (a first pass, re-checks, sometimes a slip) of about the requested number of tokens, ending
 * in a {@code \boxed{}} answer that is right about three times in four. Token ids and
 * log-probs are random with the right shapes. Deterministic for a given seed.
 */
final class BenchSamples {
    /** Roughly how many characters of this English/arithmetic text make one BPE token. */
    static final int CHARS_PER_TOKEN = 4;

    private BenchSamples() {}

    /**
     * {@code problems × k} samples of {@code tokens} response tokens each, grouped by problem
     * (all K samples of problem 0, then problem 1, …), as a sampler would write them.
     */
    static List<SampleRecord> generate(int problems, int k, int tokens, long seed) {
        Random rnd = new Random(seed);
        List<SampleRecord> out = new ArrayList<>(problems * k);
        for (int p = 0; p < problems; p++) {
            int[] operands = new int[3 + rnd.nextInt(3)];
            char[] ops = new char[operands.length - 1];
            StringBuilder problem = new StringBuilder();
            int value = operands[0] = 10 + rnd.nextInt(90);
            problem.append(value);
            for (int i = 1; i < operands.length; i++) {
                operands[i] = 1 + rnd.nextInt(99);
                ops[i - 1] = rnd.nextBoolean() ? '+' : '-';
                problem.append(ops[i - 1]).append(operands[i]);
                value = ops[i - 1] == '+' ? value + operands[i] : value - operands[i];
            }
            String truth = Integer.toString(value);
            String problemId = "bench-" + tokens + "-" + seed + "-" + p;
            for (int s = 0; s < k; s++) {
                boolean right = rnd.nextInt(4) != 0;
                String answer = right ? truth : Integer.toString(value + 1 + rnd.nextInt(9));
                String text = trace(problem.toString(), operands, ops, answer, tokens * CHARS_PER_TOKEN, rnd);
                int[] ids = new int[tokens];
                float[] logProbs = new float[tokens];
                for (int t = 0; t < tokens; t++) {
                    ids[t] = rnd.nextInt(32_000);
                    logProbs[t] = -(float) (rnd.nextDouble() * rnd.nextDouble() * 4.0);
                }
                out.add(new SampleRecord(problemId, "bench", 0, 1, s, k, truth, "default",
                        new int[] {1, 2, 3, 4, 5, 6, 7, 8}, ids, logProbs, text, FinishReason.LENGTH, 1000, 1_700_000_000_000L));
            }
        }
        return out;
    }

    private static String trace(String problem, int[] operands, char[] ops, String answer, int chars, Random rnd) {
        StringBuilder sb = new StringBuilder(chars + 64);
        sb.append("Let me solve ").append(problem).append(" step by step.\n");
        while (sb.length() < chars - 48) {
            int acc = operands[0];
            for (int i = 1; i < operands.length && sb.length() < chars - 48; i++) {
                int next = ops[i - 1] == '+' ? acc + operands[i] : acc - operands[i];
                sb.append(acc).append(' ').append(ops[i - 1]).append(' ').append(operands[i]).append(" = ")
                        .append(next).append(".\n");
                acc = next;
            }
            if (sb.length() < chars - 48) {
                sb.append(rnd.nextBoolean() ? "Wait, let me double-check that by going through it again.\n"
                        : "Hmm, I should verify each step once more to be sure.\n");
            }
        }
        sb.append("So the final answer is \\boxed{").append(answer).append("}.");
        return sb.toString();
    }
}
