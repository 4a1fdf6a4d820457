package org.o1pruner.toyworld.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.toyworld.ReferenceModelBuilder;
import org.o1pruner.toyworld.ToyWorld;

/** The whole analysis on a random tiny model of the engine with the toy tokenizer: every pass, every file. */
class DisharmonyRunTest {

    private static final ReferenceModelBuilder.Settings TINY =
            new ReferenceModelBuilder.Settings(2, 32, 4, 2, 72, 1, 4, 1e-2, 0.1, 0.15, 9L, 10, 1);

    @TempDir
    static Path tmp;

    static Path modelDir;

    @BeforeAll
    static void randomModel() throws Exception {
        modelDir = tmp.resolve("model");
        Map<String, String> extra = new LinkedHashMap<>();
        Path tok = ToyWorld.standard().tokenizerDir();
        for (String f : ToyWorld.TOKENIZER_FILES) {
            extra.put(f, Files.readString(tok.resolve(f), StandardCharsets.UTF_8));
        }
        GradMode.setIntraOpThreads(1);
        try (CausalLM model = CausalLM.random(TINY.modelConfig(), TINY.seed(), Device.cpu())) {
            model.save(modelDir, extra);
        }
    }

    @Test
    void runsEveryPassOnADedicatedThreadAndWritesTheReport() throws Exception {
        DisharmonyRun.Options o = new DisharmonyRun.Options(modelDir, "toy:test", 6, 8, 4, 4, 0.5, 0.8, 12, 16, 1, 3);
        DisharmonyRun.Result r = DisharmonyRun.run(o, null);
        assertEquals(4, r.passes().size());
        assertEquals(6, r.pass(DisharmonyRun.PassKind.SAMPLED).problems().size());
        for (ProblemSamples ps : r.pass(DisharmonyRun.PassKind.SAMPLED).problems()) {
            assertEquals(8, ps.solutions().size());
            assertTrue(ps.difficulty() != null);
            ps.solutions().forEach(s -> assertTrue(s.tokens() <= 12));
        }
        assertEquals(4, r.pass(DisharmonyRun.PassKind.FAST_SAMPLED).problems().get(0).solutions().size());
        assertEquals(1, r.pass(DisharmonyRun.PassKind.GREEDY).problems().get(0).solutions().size());
        // same seed, same samples
        DisharmonyRun.Result again = DisharmonyRun.run(o, null);
        assertEquals(r.pass(DisharmonyRun.PassKind.SAMPLED).problems(), again.pass(DisharmonyRun.PassKind.SAMPLED).problems());

        Path out = tmp.resolve("report");
        DisharmonyReport report = DisharmonyFiles.write(r, "./o1p disharmony --test", out);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("./o1p disharmony --test") && md.contains("| 1 (shortest) |")
                && md.contains("## Accuracy by number of re-checks"), md);
        for (String png : new String[] {DisharmonyReport.CHART_INTERVALS, DisharmonyReport.CHART_LENGTHS}) {
            DisharmonyChartsTest.assertPng(out.resolve(png));
        }
        assertEquals(report.hasParsedRechecks(), Files.exists(out.resolve(DisharmonyReport.CHART_RECHECKS)));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(6, summary.at("/length_intervals/problems").asInt());
        assertEquals(4, summary.at("/length_intervals/intervals").size());
        assertEquals(7, Files.readAllLines(out.resolve("per_problem.csv")).size());
        JsonNode headline = new ObjectMapper().readTree(DisharmonyFiles.headlineJson(report));
        assertEquals(6, headline.get("problems").asInt());
        assertEquals(4, headline.get("interval_accuracy").size());
    }
}
