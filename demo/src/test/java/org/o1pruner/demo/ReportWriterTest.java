package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.aes.AesWeights;

class ReportWriterTest {
    @TempDir
    Path tmp;

    static RunResults results() {
        Map<Method, Map<Comparison.Decoding, RunResults.Evaluated>> ev = new EnumMap<>(Method.class);
        int i = 0;
        for (Method m : Method.values()) {
            Map<Comparison.Decoding, RunResults.Evaluated> d = new EnumMap<>(Comparison.Decoding.class);
            d.put(Comparison.Decoding.GREEDY, new RunResults.Evaluated(new EvalSummary(100, 50 + i, 10_000 - 1000L * i, 0),
                    "greedy", "library"));
            d.put(Comparison.Decoding.SAMPLED, new RunResults.Evaluated(new EvalSummary(200, 90 + i, 20_000 - 1000L * i, 1),
                    "sample-t0.5-p0.8-n2", "library"));
            ev.put(m, d);
            i++;
        }
        Map<Method, RunResults.Training> tr = new EnumMap<>(Method.class);
        tr.put(Method.O1_PRUNER, new RunResults.Training(320, 10, 4, 1, 1e-4, 12.5));
        List<RunResults.CheckpointPoint> pts = List.of(new RunResults.CheckpointPoint(0, 0, 100, 50, 0.5, 100, 0, 0, false),
                new RunResults.CheckpointPoint(4, 10, 100, 54, 0.54, 60, 0.64, 0.64, true));
        return new RunResults(Map.of("problems", 40), new RunResults.Presampling(40, 320, 0.6, 110, 2.2, 0.8, 0.95, 3),
                tr, ev, pts, Map.of("pre-sampling", 3.0), "/m", 9400);
    }

    @Test
    void writesEveryFileWithConsistentNumbers() throws Exception {
        String table = new ReportWriter(AesWeights.PAPER).write(tmp, results());
        for (String f : ReportWriter.FILES) {
            assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        }
        assertTrue(table.contains("| O1-Pruner | sampled |"), table);
        JsonNode s = new ObjectMapper().readTree(tmp.resolve("summary.json").toFile());
        JsonNode o1 = s.get("methods").get("o1_pruner");

        assertEquals(54, o1.get("greedy").get("correct").asInt());
        assertEquals(0.54, o1.get("greedy").get("accuracy").asDouble(), 1e-12);
        assertEquals(60, o1.get("greedy").get("mean_length").asDouble(), 1e-12);
        assertEquals(320, o1.get("training").get("items").asLong());
        assertEquals(0, s.get("methods").get("baseline").get("sampled").get("aes").asDouble(), 0);
        assertEquals(2, s.get("checkpoints").size());
        String csv = Files.readString(tmp.resolve("checkpoints.csv"));
        assertEquals(3, csv.lines().count());
        assertTrue(csv.lines().skip(2).findFirst().orElseThrow().startsWith("4,10,100,54,0.540000,60.0000"), csv);
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    private static void assertEquals(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }

    private static void assertEquals(long expected, long actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }

    private static void assertEquals(double expected, double actual, double delta) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, delta);
    }
}
