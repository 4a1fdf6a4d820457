package org.o1pruner.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.o1pruner.grading.Grade;
import org.o1pruner.grading.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code o1p grade}: grades answers read as JSON Lines on stdin, so that operators can audit
 * rewards. Each input line is an object with {@code "truth"} and either {@code "given"} (an
 * already extracted answer) or {@code "solution"} (a full solution text whose last
 * {@code \boxed{}} is extracted). Each line is written back to stdout, fields kept, with
 * {@code "equal"}, {@code "extracted"}, {@code "timed_out"} and {@code "truth_unusable"}
 * added. A malformed line (or one the grader fails on) is reported on stderr with its line
 * number and skipped; the stream goes on, and the exit status is 1 when any line was.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Grade JSON Lines {\"given\"|\"solution\", \"truth\"} from stdin; "
                + "write each line back with \"equal\", \"extracted\", \"timed_out\".")
public final class GradeCommand implements Callable<Integer> {

    @Option(names = "--summary",
            description = "At the end, print counts (lines, equal, timed out, unusable truths, malformed) on stderr.")
    boolean summary;

    /** What one run saw. */
    record Counts(long lines, long equal, long timedOut, long unusableTruths, long malformed) { }

    @Override
    public Integer call() throws IOException {
        Counts c = run(System.in, System.out, System.err, Grader.defaults());
        if (summary) {
            System.err.printf("graded %d lines: %d equal, %d timed out, %d unusable truths, %d malformed%n",
                    c.lines() - c.malformed(), c.equal(), c.timedOut(), c.unusableTruths(), c.malformed());
        }
        return c.malformed() > 0 ? 1 : 0;
    }

    /** Grades every line of {@code in} onto {@code out}; problems go to {@code err}. */
    static Counts run(InputStream in, PrintStream out, PrintStream err, Grader grader) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long lines = 0;
        long equal = 0;
        long timedOut = 0;
        long unusable = 0;
        long malformed = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                ObjectNode row;
                try {
                    row = parse(json, line);
                } catch (MalformedLine | JsonProcessingException e) {
                    malformed++;
                    err.println("line " + number + ": " + reason(e));
                    continue;
                }
                String truth = text(row.get("truth"));
                Grade g;
                try {
                    g = row.has("given")
                            ? grader.gradeAnswer(text(row.get("given")), truth)
                            : grader.grade(text(row.get("solution")), truth);
                } catch (RuntimeException e) {
                    // a grader bug must not stop the audit of the remaining lines: report it and go on
                    malformed++;
                    err.println("line " + number + ": grading failed: " + e);
                    continue;
                }
                row.put("equal", g.correct());
                row.put("extracted", g.extracted());
                row.put("timed_out", g.timedOut());
                row.put("truth_unusable", g.truthUnusable());
                out.println(json.writeValueAsString(row));
                equal += g.correct() ? 1 : 0;
                timedOut += g.timedOut() ? 1 : 0;
                unusable += g.truthUnusable() ? 1 : 0;
            }
        }
        out.flush();
        return new Counts(lines, equal, timedOut, unusable, malformed);
    }

    private static final class MalformedLine extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLine(String message) {
            super(message, null, false, false);
        }
    }

    private static ObjectNode parse(ObjectMapper json, String line) throws MalformedLine, JsonProcessingException {
        JsonNode node = json.readTree(line);
        if (!(node instanceof ObjectNode row)) {
            throw new MalformedLine("not a JSON object");
        }
        if (!row.has("truth")) {
            throw new MalformedLine("missing \"truth\"");
        }
        if (!row.has("given") && !row.has("solution")) {
            throw new MalformedLine("missing \"given\" or \"solution\"");
        }
        for (String field : new String[] {"truth", "given", "solution"}) {
            JsonNode v = row.get(field);
            if (v != null && !v.isNull() && !v.isValueNode()) {
                throw new MalformedLine("\"" + field + "\" must be a string, number or null");
            }
        }
        return row;
    }

    /** A JSON value as answer text: strings as they are, numbers in their JSON spelling, null as null. */
    private static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.textValue() : v.asText();
    }

    private static String reason(Exception e) {
        if (e instanceof JsonProcessingException j) {
            return "not valid JSON: " + j.getOriginalMessage();
        }
        return e.getMessage();
    }
}
