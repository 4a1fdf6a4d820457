package org.o1pruner.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.ModelConfig;

class EngineBenchmarkTest {

    @Test
    void matmulParametersAreTheModelsWeightMatricesExceptTheEmbedding() {
        ModelConfig c = BenchModel.config(512, 256, 704, 4, 4, 2, 300);
        long expected = 0;
        for (Map.Entry<String, Shape> e : CausalLM.expectedShapes(c).entrySet()) {
            if (e.getValue().dimension() == 2 && !e.getKey().equals("model.embed_tokens.weight")) {
                expected += e.getValue().size();
            }
        }
        assertEquals(expected, EngineBenchmark.matmulParams(c));
    }

    @Test
    void theoreticalPeakComesFromTheCpuDescription() {
        double peak = EngineBenchmark.theoreticalPeakGflops();
        // any x86 vCPU of the last decade: between 1 and 10,000 GFLOP/s per reported processor
        assertTrue(peak >= Runtime.getRuntime().availableProcessors() * 1.0, "peak " + peak);
        assertTrue(peak <= Runtime.getRuntime().availableProcessors() * 10_000.0, "peak " + peak);
    }

    @Test
    void trainingRoundsAlternateWithThePeerAndCompareBestRounds() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(check.waitFor() == 0, "Debian's python3-torch is not installed");
        EngineBenchmark.Options o = new EngineBenchmark.Options(64, 32, 64, 1, 2, 1, 16, 2, 2, 1, 4, 4, 1, 1, 1, 1, 0, 8,
                "/usr/bin/python3", null, java.util.List.of("1x1"), false, 3);
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        Map<String, Object> r = EngineBenchmark.run(o, new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> rounds = (Map<String, Object>) r.get("train_rounds");
        @SuppressWarnings("unchecked")
        java.util.List<Double> engine = (java.util.List<Double>) rounds.get("engine_tokens_per_s");
        @SuppressWarnings("unchecked")
        java.util.List<Double> torch = (java.util.List<Double>) rounds.get("pytorch_tokens_per_s");
        @SuppressWarnings("unchecked")
        java.util.List<Double> ratios = (java.util.List<Double>) rounds.get("ratios");
        assertEquals(3, engine.size());
        assertEquals(3, torch.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(engine.get(i) > 0 && torch.get(i) > 0);
            assertEquals(engine.get(i) / torch.get(i), ratios.get(i), 1e-12);
        }
        double median = ratios.stream().sorted().toList().get(1);
        assertEquals(median, ((Number) rounds.get("median_ratio")).doubleValue(), 1e-12);
        double bestEngine = engine.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double bestTorch = torch.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(bestEngine, ((Number) r.get("engine_train_tokens_per_s")).doubleValue(), 1e-12);
        assertEquals(bestEngine / bestTorch, ((Number) r.get("train_ratio")).doubleValue(), 1e-12);
        String out = text.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("{") && last.contains("\"train_rounds\""), "last line is the JSON: " + last);
    }
}
