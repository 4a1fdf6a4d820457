package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.testing.KafkaCluster;
import org.o1pruner.testing.KafkaExtension;

/**
 * A small run of {@link SamplerBenchmark}: Kafka must not be the sampler's bottleneck. The
 * target is a ratio of at least 0.9; the assertion leaves room for a noisy shared machine (figures: BENCHMARKS.md).
 */
@ExtendWith(KafkaExtension.class)
class SamplerBenchmarkIT {
    @TempDir
    Path tmp;

    @Test
    void serviceThroughputIsCloseToTheEnginesOwn(KafkaCluster kafka) throws Exception {
        SamplerBenchmark.Result r = SamplerBenchmark.run(kafka, tmp, new SamplerBenchmark.Params(16, 8, 48, 16, 64, 2));
        System.out.println("sampler benchmark: " + r);
        assertTrue(r.ratio() >= 0.6, "service/engine tokens/s ratio " + r.ratio() + " (target >= 0.9): " + r);
    }
}
