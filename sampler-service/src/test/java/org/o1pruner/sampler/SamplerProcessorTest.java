package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.SampleRecord;

/** The processing step on a real tiny model: groups, fields, shared batches, metrics. */
class SamplerProcessorTest {
    @TempDir
    static Path tmp;
    static ModelPolicy policy;

    @BeforeAll
    static void load() {
        policy = ModelPolicy.load(ToyModels.writeRandom(tmp.resolve("m"), 5), 9, Device.cpu(), 5);
    }

    @AfterAll
    static void close() {
        if (policy != null) {
            policy.close();
        }
    }

    private static PromptRecord prompt(String id, String problem, int k) {
        return new PromptRecord(id, "toy_train", "train", problem, "42", k, 2, 9, PromptRecord.VARIANT_FAST, 1);
    }

    @Test
    void everyPromptGetsItsKSamplesWithItsFieldsAndProblemsShareEngineBatches() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SamplerMetrics metrics = new SamplerMetrics(registry);
        Clock clock = Clock.fixed(Instant.ofEpochMilli(123_456), ZoneOffset.UTC);
        SamplerProcessor p = new SamplerProcessor(new SamplingSettings(0.5, 0.8, 0, 10, List.of(), 3), 5, clock, metrics);
        List<PromptRecord> prompts = List.of(prompt("a", "1+2", 3), prompt("b", "30-4+5", 4), prompt("c", "2*3", 1));
        List<int[]> tokens = prompts.stream().map(policy::promptTokens).toList();
        List<List<SampleRecord>> out = p.generate(prompts, tokens, policy);
        assertEquals(3, out.size());
        for (int i = 0; i < prompts.size(); i++) {
            PromptRecord pr = prompts.get(i);
            List<SampleRecord> group = out.get(i);
            assertEquals(pr.k(), group.size());
            for (int j = 0; j < group.size(); j++) {
                SampleRecord s = group.get(j);
                assertEquals(j, s.sampleIndex());
                assertEquals(pr.problemId(), s.problemId());
                assertEquals(pr.k(), s.k());
                assertEquals(2, s.round());
                assertEquals(9, s.policyVersion());
                assertEquals("42", s.answer());
                assertEquals("fast", s.variant());
                assertEquals(123_456, s.createdAtMs());
                assertArrayEquals(tokens.get(i), s.promptTokenIds());
                assertTrue(s.responseTokenIds().length >= 1 && s.responseTokenIds().length <= 10);
            }
        }
        // 8 sequences in batches of 5: two engine batches, the first full
        assertEquals(2, registry.get("o1p.sampler.batch.occupancy").summary().count());
        assertEquals(5.0 / 5 + 3.0 / 5, registry.get("o1p.sampler.batch.occupancy").summary().totalAmount(), 1e-9);
        assertEquals(8, metrics.samplesTotal());
        assertEquals(0, metrics.versionMismatches());
        p.generate(List.of(new PromptRecord("d", "toy_train", "train", "1+1", "2", 1, 0, 4, "default", 0)),
                List.of(tokens.get(0)), policy);
        assertEquals(1, metrics.versionMismatches());
    }

    @Test
    void mismatchedInputIsRefused() {
        SamplerProcessor p = new SamplerProcessor(new SamplingSettings(0, 1, 0, 4, List.of(), 0), 4,
                Clock.systemUTC(), new SamplerMetrics(new SimpleMeterRegistry()));
        assertThrows(IllegalArgumentException.class, () -> p.generate(List.of(prompt("a", "1+1", 2)), List.of(), policy));
        assertThrows(IllegalArgumentException.class, () -> new SamplerProcessor(new SamplingSettings(0, 1, 0, 4,
                List.of(), 0), 0, Clock.systemUTC(), new SamplerMetrics(new SimpleMeterRegistry())));
    }
}
