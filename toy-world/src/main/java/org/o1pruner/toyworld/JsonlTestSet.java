package org.o1pruner.toyworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.o1pruner.grading.Grader;

/**
 * Reads a test set in the project's JSON Lines shape (the paper's {@code math_test},
 * {@code gsm8k_test}, {@code gaokao_test} under {@code data/}): {@code id}, {@code problem},
 * {@code answer} and optionally {@code difficulty} per line.
 *
 * <p>The evaluator and the disharmony analysis read these files the same way: blank lines are
 * ignored; a line that is not JSON, has no textual problem, or has a ground truth no grader can
 * use is skipped and counted, so it neither counts as a failure of the model nor goes unnoticed.
 */
public final class JsonlTestSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlTestSet() {}

    /**
     * One usable line.
     *
     * @param id         the line's {@code id}, or {@code <idPrefix>-<line number>} when it has none
     * @param problem    the problem text
     * @param answer     the ground truth, as text
     * @param difficulty the line's {@code difficulty}, or null
     */
    public record Row(String id, String problem, String answer, String difficulty) {
        public Row {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * What a file holds.
     *
     * @param rows    the usable lines, in file order
     * @param skipped lines left out: malformed JSON, no problem, or an unusable ground truth
     */
    public record Contents(List<Row> rows, int skipped) {
        public Contents {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Reads {@code file}.
     *
     * @param idPrefix names rows without an {@code id} ({@code <idPrefix>-<line number>}, from 1)
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException when it cannot be read
     */
    public static Contents read(Path file, String idPrefix) throws IOException {
        List<Row> out = new ArrayList<>();
        int skipped = 0;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = JSON.readTree(line);
                } catch (IOException e) {
                    skipped++;
                    continue;
                }
                JsonNode problem = row.get("problem");
                JsonNode answer = row.get("answer");
                if (problem == null || !problem.isTextual() || answer == null || answer.isNull()
                        || !Grader.usableTruth(answer.asText())) {
                    skipped++;
                    continue;
                }
                JsonNode id = row.get("id");
                JsonNode difficulty = row.get("difficulty");
                out.add(new Row(id != null && !id.isNull() ? id.asText() : idPrefix + "-" + lineNo,
                        problem.asText(), answer.asText(),
                        difficulty != null && !difficulty.isNull() ? difficulty.asText() : null));
            }
        }
        return new Contents(out, skipped);
    }
}
