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
}
