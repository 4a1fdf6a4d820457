package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's logits against an independent PyTorch implementation
 * ({@code src/test/python/qwen2_reference.py}): committed fixtures always, and a fresh
 * engine-written checkpoint whenever Debian's {@code /usr/bin/python3} with torch is present.
 */
class CrossFrameworkTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final Path SCRIPT = Path.of("src/test/python/qwen2_reference.py");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final float TOLERANCE = 1e-4f;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** Max |engine − reference| over real-token positions of {@code dir}'s inputs. */
    static float compare(CausalLM model, Path dir) throws IOException {
        JsonNode inputs = JSON.readTree(dir.resolve("inputs.json").toFile());
        long[][] ids = JSON.treeToValue(inputs.get("input_ids"), long[][].class);
        long[][] mask = JSON.treeToValue(inputs.get("attention_mask"), long[][].class);
        int v = model.config().vocabSize();
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            float[] got = model.forward(nd.create(ids), nd.create(mask), null).toFloatArray();
            Map<String, NDArray> expected =
                    SafeTensors.read(dir.resolve("expected_logits.safetensors"), nd, null);
            NDArray want = expected.get("logits");
            assertEquals(new ai.djl.ndarray.types.Shape(ids.length, ids[0].length, v), want.getShape());
            float[] ref = want.toFloatArray();
            float max = 0;
            int compared = 0;
            for (int b = 0; b < ids.length; b++) {
                for (int t = 0; t < ids[b].length; t++) {
                    if (mask[b][t] == 0) {
                        continue;
                    }
                    int off = (b * ids[b].length + t) * v;
                    for (int k = 0; k < v; k++) {
                        max = Math.max(max, Math.abs(got[off + k] - ref[off + k]));
                        compared++;
                    }
                }
            }
            assertTrue(compared > 0);
            return max;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-tiny", "qwen2-tiny-bf16-sharded", "llama-tied-mqa"})
    void committedFixturesMatchTheReferenceWithin1e4(String name) throws IOException {
        Path dir = FIXTURES.resolve(name);
        long defaultLimit = CausalLM.ropeMatrixLimit;
        try (CausalLM model = CausalLM.load(dir, Device.cpu())) {
            for (long limit : new long[] {defaultLimit, 0}) { // both rotary-embedding code paths
                CausalLM.ropeMatrixLimit = limit;
                float diff = compare(model, dir);
                System.out.printf("cross-framework %s (rope %s): max abs logit difference %.3g%n",
                        name, limit == 0 ? "elementwise" : "matrix", diff);
                assertTrue(diff < TOLERANCE, name + ": max abs difference " + diff);
            }
        } finally {
            CausalLM.ropeMatrixLimit = defaultLimit;
        }
    }

    static boolean torchAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
                    .redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void runReference(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "logits", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done && p.exitValue() == 0, "reference script failed: " + out);
    }

    @Test
    void anEngineWrittenCheckpointMatchesAFreshReferenceRun() throws Exception {
        assumeTrue(torchAvailable(), "/usr/bin/python3 with torch is not installed");
        for (ModelConfig c : TestModels.all()) {
            Path dir = tmp.resolve(c.architecture());
            try (CausalLM model = TestModels.perturbed(c, 77)) {
                model.save(dir, Map.of());
                Random rng = new Random(3);
                long[][] ids = TestModels.randomTokens(rng, 3, 9, c.vocabSize());
                long[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 1, 1, 1, 1, 1},
                        {1, 1, 1, 1, 1, 1, 1, 0, 0}};
                Files.write(dir.resolve("inputs.json"), JSON.writeValueAsBytes(
                        Map.of("input_ids", ids, "attention_mask", mask)));
                runReference(dir);
                float diff = compare(model, dir);
                System.out.printf("cross-framework engine-written %s: max abs logit difference %.3g%n",
                        c.architecture(), diff);
                assertTrue(diff < TOLERANCE, c.architecture() + ": max abs difference " + diff);
            }
        }
    }

    @Test
    void theCommittedFixturesRegenerateIdentically() throws Exception {
        assumeTrue(torchAvailable(), "/usr/bin/python3 with torch is not installed");
        for (String name : new String[] {"qwen2-tiny", "llama-tied-mqa"}) {
            Path copy = tmp.resolve(name);
            Files.createDirectories(copy);
            try (var files = Files.list(FIXTURES.resolve(name))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!f.getFileName().toString().startsWith("expected")) {
                        Files.copy(f, copy.resolve(f.getFileName()));
                    }
                }
            }
            runReference(copy);
            try (NDManager nd = NDManager.newBaseManager()) {
                float[] fresh = SafeTensors.read(copy.resolve("expected_logits.safetensors"), nd, null)
                        .get("logits").toFloatArray();
                float[] committed = SafeTensors.read(FIXTURES.resolve(name).resolve(
                        "expected_logits.safetensors"), nd, null).get("logits").toFloatArray();
                assertTrue(TestModels.maxAbsDiff(fresh, committed) < 1e-6f, name);
            }
        }
    }
}
