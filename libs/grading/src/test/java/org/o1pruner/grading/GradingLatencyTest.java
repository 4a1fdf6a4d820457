package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grading latency on realistic inputs: solutions of about 2,000 tokens (~8 KB) ending in a box,
 * graded against the MATH test truths, answers right and wrong. The requirement is p99 under
 * 5 ms per grade; the test prints the measured percentiles.
 */
class GradingLatencyTest {

    @Test
    void p99UnderFiveMillisecondsFor8KbSolutions() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> truths = new ArrayList<>();
        for (String line : Files.readAllLines(DatasetTruthsTest.dataDir().resolve("math_test.jsonl"))) {
            truths.add(json.readTree(line).path("answer").asText());
        }
        Random rnd = new Random(7);
        StringBuilder filler = new StringBuilder();
        while (filler.length() < 8_000) {
            filler.append("Wait, let me double-check: ").append(rnd.nextInt(100)).append(" + ")
                    .append(rnd.nextInt(100)).append(" = \\frac{").append(rnd.nextInt(9)).append("}{2}. ");
        }
        int n = 4_000;
        String[] solutions = new String[n];
        String[] truthOf = new String[n];
        for (int i = 0; i < n; i++) {
            String t = truths.get(rnd.nextInt(truths.size()));
            String given = rnd.nextBoolean() ? t : truths.get(rnd.nextInt(truths.size()));
            solutions[i] = filler + "\nSo the final answer is $\\boxed{" + given + "}$.";
            truthOf[i] = t;
        }
        Grader grader = Grader.defaults();
        for (int i = 0; i < n; i++) {
            grader.grade(solutions[i], truthOf[i]); // warm-up
        }
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            grader.grade(solutions[i], truthOf[i]);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        double p50 = ns[n / 2] / 1e6;
        double p99 = ns[(int) (n * 0.99)] / 1e6;
        double max = ns[n - 1] / 1e6;
        System.out.printf("grading latency, %d solutions of %d chars: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                n, solutions[0].length(), p50, p99, max);
        assertTrue(p99 < 5.0, "p99 " + p99 + " ms");
    }
}
