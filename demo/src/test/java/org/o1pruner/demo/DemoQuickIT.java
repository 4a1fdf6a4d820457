package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;

/**
 * {@code o1p demo --quick} end to end against a random tiny model: broker, every service, three
 * trainings, the eval service and the library evaluations, then the report. Asserts the files,
 * the structure of summary.json and its internal consistency, and that /metrics answered during
 * the run.
 */
class DemoQuickIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void quickRunWritesAConsistentReport() throws Exception {
        Path model = TinyModel.write(tmp.resolve("model"), 11);
        Path report = tmp.resolve("report");
        DemoConfig.Settings s = DemoConfig.load(Map.of(
                "O1P_DEMO_QUICK", "true",
                "O1P_DEMO_MODEL_DIR", model.toString(),
                "O1P_DEMO_REPORT_DIR", report.toString(),
                "O1P_DEMO_HTTP_PORT", "0",
                "O1P_DEMO_PROBLEMS", "12",
                "O1P_DEMO_EVAL_PROBLEMS", "16",
                "O1P_DEMO_EVAL_SAMPLES", "2",
                "O1P_DEMO_MAX_NEW_TOKENS", "24",
                "O1P_DEMO_EPOCHS", "2",
                "O1P_DEMO_THREADS", "1"));
        assertEquals(4, s.k(), "quick preset");
        DemoRun run = new DemoRun(s, model, System.err);
        CompletableFuture<DemoRun.Outcome> done = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String scraped = scrapeWhileRunning(run, done);
        DemoRun.Outcome outcome = done.get(15, TimeUnit.MINUTES);
        assertTrue(scraped.contains("o1p_"), "/metrics served the services' metrics during the run");

        for (String f : ReportWriter.FILES) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        for (String png : new String[] {"checkpoints.png", "methods.png"}) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(report.resolve(png)), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png);
        }
        String table = Files.readString(report.resolve("table.md"));
        for (Method m : Method.values()) {
            assertTrue(table.contains("| " + m.title() + " |"), m.title() + " in table.md");
            assertTrue(outcome.table().contains(m.title()));
        }

        JsonNode summary = JSON.readTree(report.resolve("summary.json").toFile());
        JsonNode methods = summary.get("methods");
        AesWeights w = AesWeights.PAPER;
        for (String decoding : new String[] {"greedy", "sampled"}) {
            int perProblem = decoding.equals("greedy") ? 1 : 2;
            JsonNode base = methods.get("baseline").get(decoding);
            assertEquals(0.0, base.get("aes").asDouble(), 0.0);
            assertEquals(0.0, base.get("aes_paper").asDouble(), 0.0);
            for (Method m : Method.values()) {
                JsonNode d = methods.get(m.key()).get(decoding);
                int n = d.get("n").asInt();
                int correct = d.get("correct").asInt();
                assertEquals(16 * perProblem, n, m + " " + decoding + ": every problem evaluated");
                assertEquals((double) correct / n, d.get("accuracy").asDouble(), 1e-9);
                assertTrue(d.get("accuracy_low95").asDouble() <= d.get("accuracy").asDouble() + 1e-12);
                assertTrue(d.get("accuracy_high95").asDouble() >= d.get("accuracy").asDouble() - 1e-12);
                assertTrue(d.get("mean_length").asDouble() >= 0 && d.get("mean_length").asDouble() <= 24);
                if (m != Method.BASELINE) {
                    Aes.Scores expected = Aes.scores(base.get("accuracy").asDouble(), base.get("mean_length").asDouble(),
                            d.get("accuracy").asDouble(), d.get("mean_length").asDouble(), w);
                    assertEquals(expected.formula(), d.get("aes").asDouble(), 1e-9, m + " aes");
                    assertEquals(expected.paperTable(), d.get("aes_paper").asDouble(), 1e-9, m + " aes_paper");
                }
            }
        }
        // greedy baseline and O1-Pruner come from the eval service's evals records
        assertTrue(methods.get("baseline").get("greedy").get("source").asText().startsWith("eval-service"));
        JsonNode o1 = methods.get("o1_pruner");
        assertTrue(o1.get("greedy").get("source").asText().startsWith("eval-service"));
        // all K samples of all 12 problems trained (samples per problem: all), twice (two epochs)
        assertEquals(2 * 12 * 4, o1.get("training").get("items").asLong());
        assertEquals(2, o1.get("training").get("epochs").asInt());
        long finalVersion = o1.get("training").get("version").asLong();
        assertTrue(finalVersion >= 1);

        JsonNode checkpoints = summary.get("checkpoints");
        Set<Long> versions = new HashSet<>();
        for (JsonNode c : checkpoints) {
            versions.add(c.get("version").asLong());
            assertEquals(16, c.get("n").asInt(), "checkpoints judged on every eval problem");
        }
        assertTrue(versions.contains(0L) && versions.contains(finalVersion), "baseline and final checkpoint: " + versions);
        JsonNode first = checkpoints.get(0);
        assertEquals(methods.get("baseline").get("greedy").get("accuracy").asDouble(), first.get("accuracy").asDouble(), 1e-9);

        JsonNode pre = summary.get("presampling");
        assertEquals(12, pre.get("problems").asInt());
        assertEquals(48, pre.get("samples").asInt());
        assertEquals(s.describe().get("problems"), summary.get("settings").get("problems").asInt());
        assertTrue(Files.readString(report.resolve("checkpoints.csv")).lines().count() == checkpoints.size() + 1);
    }

    /** Scrapes /metrics until it shows service metrics or the run ends; returns the last body. */
    private static String scrapeWhileRunning(DemoRun run, CompletableFuture<?> done) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String last = "";
        while (!done.isDone()) {
            int port = run.metricsPort();
            if (port > 0) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        last = r.body();
                        if (last.contains("o1p_reward") && last.contains("o1p_sampler")) {
                            return last;
                        }
                    }
                } catch (java.io.IOException e) {
                    // the server is starting or already closed; try again
                }
            }
            Thread.sleep(300);
        }
        return last;
    }
}
