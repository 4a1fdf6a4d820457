package org.o1pruner.grading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every ground truth in the vendored data sets ({@code data/*.jsonl} at the repository root)
 * grades equal to itself and to a solution that ends in {@code \boxed{truth}}; the few empty
 * or junk truths are counted, printed and must stay few.
 */
class DatasetTruthsTest {

    private static final int MAX_UNUSABLE = 10;

    /** Walks up from the working directory to the folder holding {@code data/math_test.jsonl}. */
    static Path dataDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data").resolve("math_test.jsonl"))) {
                return p.resolve("data");
            }
        }
        throw new IllegalStateException("no data/math_test.jsonl above " + dir);
    }

    @Test
    void everyTruthGradesEqualToItselfAndToItsBoxedForm() throws IOException {
        Grader grader = Grader.defaults();
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(dataDir())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "expected the data sets, found " + files);
        int rows = 0;
        List<String> unusable = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    rows++;
                    JsonNode row = json.readTree(line);
                    JsonNode a = row.get("answer");
                    String truth = a == null || a.isNull() ? null : a.asText();
                    String where = file.getFileName() + " " + row.path("id").asText();
                    if (!Grader.usableTruth(truth)) {
                        unusable.add(where + " answer=" + (truth == null ? "null" : "'" + truth + "'"));
                        Grade g = grader.grade("\\boxed{5}", truth);
                        assertTrue(g.truthUnusable() && !g.correct(), where);
                        continue;
                    }
                    Grade self = grader.gradeAnswer(truth, truth);
                    String solution = "Let's compute step by step.\nWait, let me double-check.\n"
                            + "So the final answer is $\\boxed{" + truth + "}$.";
                    Grade boxed = grader.grade(solution, truth);
                    // re-spelled: wrapped in math delimiters; and integers must not equal their successor
                    boolean wrapped = grader.equivalent("\\(" + truth + "\\)", truth);
                    boolean successorRejected = !truth.trim().matches("-?\\d+")
                            || !grader.equivalent(new java.math.BigInteger(truth.trim()).add(java.math.BigInteger.ONE)
                                    .toString(), truth);
                    if (!self.correct() || !boxed.correct() || !wrapped || !successorRejected) {
                        failures.add(where + " truth='" + truth + "' self=" + self + " boxed=" + boxed
                                + " wrapped=" + wrapped + " successorRejected=" + successorRejected);
                    }
                }
            }
        }
        System.out.println("graded " + rows + " ground truths; unusable: " + unusable.size());
        unusable.forEach(u -> System.out.println("  unusable truth: " + u));
        assertTrue(rows > 10_000, "rows read: " + rows);
        assertTrue(failures.isEmpty(), failures.size() + " truths failed:\n" + String.join("\n", failures));
        assertTrue(unusable.size() <= MAX_UNUSABLE, "too many unusable truths: " + unusable);
        assertFalse(unusable.isEmpty(), "the data sets are known to hold a few empty truths; the check is not running");
    }
}
