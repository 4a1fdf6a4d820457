package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code o1p demo --ablation} at toy sizes: every variant runs and lands in the table and its own report. */
class DemoAblationIT {
    @TempDir
    Path tmp;

    @Test
    void everyVariantRunsAndIsTabulated() throws Exception {
        Path model = TinyModel.write(tmp.resolve("model"), 13);
        DemoConfig.Settings s = DemoConfig.load(Map.of("O1P_DEMO_QUICK", "true", "O1P_DEMO_MODEL_DIR", model.toString(),
                "O1P_DEMO_REPORT_DIR", tmp.resolve("report").toString(), "O1P_DEMO_HTTP_PORT", "0",
                "O1P_DEMO_PROBLEMS", "4", "O1P_DEMO_K", "2", "O1P_DEMO_EVAL_PROBLEMS", "4",
                "O1P_DEMO_MAX_NEW_TOKENS", "12", "O1P_DEMO_THREADS", "1"));
        Path out = tmp.resolve("docs").resolve("ablation.md");
        String md = DemoAblation.run(s, model, null, out);
        assertEquals(md, Files.readString(out));
        for (DemoAblation.Variant v : DemoAblation.variants(2, s.samplesPerProblem())) {
            Path summary = tmp.resolve("report").resolve("ablation").resolve(v.name()).resolve("summary.json");
            assertTrue(Files.isRegularFile(summary), summary.toString());
            String settings = Files.readString(summary);
            assertTrue(settings.contains("\"lambda\" : " + v.lambda()), v.name());
        }
        // five variants × two decodings
        assertEquals(10, md.lines().filter(l -> l.matches("\\| [0-9.]+ \\| (all|2) \\| .*")).count(), md);
    }
}
