package org.o1pruner.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.testing.EmbeddedKafkaBroker;

/**
 * A run of {@link TrainerBenchmark} (with {@code -Do1p.bench=true}; sizes from {@code o1p.bench.hidden},
 * {@code o1p.bench.layers}, {@code o1p.bench.problems}). Uses its own embedded broker so no other
 * test's records are mixed in. Prints one result line and writes it to {@code target/trainer-bench.txt}.
 */
@EnabledIfSystemProperty(named = "o1p.bench", matches = "true")
class TrainerThroughputIT {

    @Test
    void serviceThroughputAgainstTheRawEngineStep(@TempDir Path tmp) throws Exception {
        TrainerBenchmark.Params p = new TrainerBenchmark.Params(Integer.getInteger("o1p.bench.hidden", 128),
                Integer.getInteger("o1p.bench.layers", 4), Integer.getInteger("o1p.bench.problems", 96), 8, 8, 4);
        TrainerBenchmark.Result r;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            r = TrainerBenchmark.run(broker.bootstrapServers(), tmp, p);
        }
        String line = "trainer throughput: " + r;
        System.out.println(line);
        Files.writeString(Path.of("target", "trainer-bench.txt"), line + System.lineSeparator());
        assertTrue(r.serviceTokensPerSecond() > 0 && r.rawTokensPerSecond() > 0, line);
    }
}
