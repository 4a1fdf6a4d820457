package org.o1pruner.toyworld;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines form of toy problems, in the shape of the project's data sets: {@code id},
 * {@code problem}, {@code answer}, {@code dataset}, plus {@code difficulty} (easy, medium,
 * hard) and {@code hard_steps}. Reading re-derives answer and difficulty from the expression
 * and refuses a line where they disagree.
 */
public final class ProblemFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemFiles() {
    }

    /** One problem as a JSON line (no trailing newline). */
    public static String toLine(ToyProblem p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        o.put("problem", p.problem());
        o.put("answer", p.answer());
        o.put("dataset", p.dataset());
        o.put("difficulty", p.difficulty().tag());
        o.put("hard_steps", p.hardSteps());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write problem " + p.id(), e);
        }
    }

    /** All problems as JSON Lines text. */
    public static String toJsonLines(List<ToyProblem> problems) {
        StringBuilder sb = new StringBuilder();
        for (ToyProblem p : problems) {
            sb.append(toLine(p)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses one JSON line.
     *
     * @throws IllegalArgumentException naming the id and field when the line is malformed or inconsistent
     */
    public static ToyProblem parseLine(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + line, e);
        }
        String id = text(o, "id", line);
        ToyProblem p = ToyProblem.of(id, text(o, "dataset", line), Arithmetic.parse(text(o, "problem", line)));
        if (!p.answer().equals(text(o, "answer", line))) {
            throw new IllegalArgumentException(id + ": answer " + o.get("answer") + " is not " + p.answer());
        }
        if (o.has("difficulty") && !p.difficulty().tag().equals(o.get("difficulty").asText())) {
            throw new IllegalArgumentException(id + ": difficulty " + o.get("difficulty") + " is not "
                    + p.difficulty().tag());
        }
        return p;
    }

    /** Reads JSON Lines from a stream (closed by the caller). */
    public static List<ToyProblem> read(InputStream in) {
        List<ToyProblem> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(parseLine(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String text(JsonNode o, String field, String line) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "' in " + line);
        }
        return v.asText();
    }
}
