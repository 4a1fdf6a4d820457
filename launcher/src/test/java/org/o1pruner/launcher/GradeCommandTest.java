package org.o1pruner.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.grading.Grader;
import picocli.CommandLine;

class GradeCommandTest {

    private final ObjectMapper json = new ObjectMapper();

    private record Result(List<JsonNode> rows, String err, GradeCommand.Counts counts) { }

    private Result run(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GradeCommand.Counts c = GradeCommand.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Grader.defaults());
        List<JsonNode> rows = out.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("output line is not JSON: " + l, e);
            }
        }).toList();
        return new Result(rows, err.toString(StandardCharsets.UTF_8), c);
    }

    @Test
    void gradesGivenAnswersAndSolutionsKeepingEveryField() throws Exception {
        Result r = run("""
                {"id":"a","given":"\\\\frac{1}{2}","truth":"0.5"}
                {"id":"b","solution":"Thus x = 3, so \\\\boxed{3}.","truth":"$x=3$"}
                {"id":"c","solution":"no box here","truth":"7"}
                {"id":"d","given":"18","truth":"18\\\\%"}
                {"id":"e","given":"72","truth":72}
                """);
        assertEquals(5, r.rows().size());
        assertEquals("", r.err());
        JsonNode a = r.rows().get(0);
        assertEquals("a", a.get("id").asText());
        assertTrue(a.get("equal").asBoolean());
        assertEquals("\\frac{1}{2}", a.get("extracted").asText());
        assertFalse(a.get("timed_out").asBoolean());
        assertTrue(r.rows().get(1).get("equal").asBoolean());
        assertEquals("3", r.rows().get(1).get("extracted").asText());
        assertFalse(r.rows().get(2).get("equal").asBoolean());
        assertTrue(r.rows().get(2).get("extracted").isNull());
        assertFalse(r.rows().get(3).get("equal").asBoolean());
        assertTrue(r.rows().get(4).get("equal").asBoolean());
        assertEquals(3, r.counts().equal());
        assertEquals(0, r.counts().malformed());
    }

    @Test
    void reportsMalformedLinesAndKeepsGoing() throws Exception {
        Result r = run("""
                {"given":"1","truth":"1"}
                not json at all
                [1,2]
                {"given":"1"}
                {"truth":"1"}
                {"given":{"x":1},"truth":"1"}

                {"given":"2","truth":"2"}
                """);
        assertEquals(2, r.rows().size());
        assertEquals(5, r.counts().malformed());
        assertTrue(r.err().contains("line 2: not valid JSON"), r.err());
        assertTrue(r.err().contains("line 3: not a JSON object"), r.err());
        assertTrue(r.err().contains("line 4: missing \"truth\""), r.err());
        assertTrue(r.err().contains("line 5: missing \"given\" or \"solution\""), r.err());
        assertTrue(r.err().contains("line 6:"), r.err());
    }

    @Test
    void flagsTimeoutsAndUnusableTruths() throws Exception {
        Result r = run("""
                {"given":"9**9**9","truth":"1"}
                {"given":"5","truth":""}
                {"given":"5","truth":null}
                """);
        assertTrue(r.rows().get(0).get("timed_out").asBoolean());
        assertFalse(r.rows().get(0).get("equal").asBoolean());
        assertTrue(r.rows().get(1).get("truth_unusable").asBoolean());
        assertTrue(r.rows().get(2).get("truth_unusable").asBoolean());
        assertEquals(1, r.counts().timedOut());
        assertEquals(2, r.counts().unusableTruths());
    }

    @Test
    void exitStatusIsNonZeroOnlyWhenALineWasMalformed() {
        PrintStream stdout = System.out;
        var stdin = System.in;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream("{\"given\":\"1\",\"truth\":\"1\"}\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, new CommandLine(new GradeCommand()).execute());
            System.setIn(new ByteArrayInputStream("oops\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, new CommandLine(new GradeCommand()).execute());
        } finally {
            System.setOut(stdout);
            System.setIn(stdin);
        }
    }
}
