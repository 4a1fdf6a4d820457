package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir Path tmp;

    private static void assertSameWeights(CausalLM a, CausalLM b) {
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
            NDArray other = b.parameters().get(e.getKey());
            assertEquals(e.getValue().getDataType(), other.getDataType(), e.getKey());
            assertEquals(e.getValue().getShape(), other.getShape(), e.getKey());
            assertEquals(e.getValue().toByteBuffer(), other.toByteBuffer(), e.getKey());
        }
    }

    private static float[] logits(CausalLM m) {
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            long[][] ids = TestModels.randomTokens(new Random(1), 2, 6, m.config().vocabSize());
            return m.forward(nd.create(ids), TestModels.ones(nd, 2, 6), null).toFloatArray();
        }
    }

    @Test
    void saveThenLoadIsBitIdenticalAndScoresEqual() throws IOException {
        for (ModelConfig c : TestModels.all()) {
            Path dir = tmp.resolve(c.architecture());
            try (CausalLM m = TestModels.perturbed(c, 3)) {
                m.save(dir, Map.of("README.md", "tiny test model\n"));
                try (CausalLM back = CausalLM.load(dir, Device.cpu())) {
                    assertEquals(m.config(), back.config());
                    assertSameWeights(m, back);
                    assertArrayEquals(logits(m), logits(back));
                }
            }
            assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
            assertTrue(Files.isRegularFile(dir.resolve("config.json")));
            assertEquals("tiny test model\n", Files.readString(dir.resolve("README.md")));
            Manifest manifest = CausalLM.verify(dir);
            assertEquals(java.util.Set.of("model.safetensors", "config.json", "README.md"),
                    manifest.files().keySet());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")),
                    "no temporary directory may remain");
        }
    }

    @Test
    void writesTheSafetensorsLayoutOtherToolsRead() throws IOException {
        try (CausalLM m = CausalLM.random(TestModels.qwenGqa(), 1, Device.cpu())) {
            m.save(tmp.resolve("m"), Map.of());
        }
        byte[] bytes = Files.readAllBytes(tmp.resolve("m/model.safetensors"));
        long n = ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
        assertTrue(header.contains("\"model.layers.0.self_attn.q_proj.bias\":{\"dtype\":\"F32\",\"shape\":[32]"), header);
        String config = Files.readString(tmp.resolve("m/config.json"));
        assertTrue(config.contains("\"model_type\" : \"qwen2\""), config);
        assertTrue(config.contains("\"torch_dtype\" : \"float32\""), config);
    }

    @Test
    void shardedCheckpointsRoundTripThroughTheIndex() throws IOException {
        Path dir = tmp.resolve("sharded");
        try (CausalLM m = TestModels.perturbed(TestModels.qwenGqa(), 4)) {
            m.save(dir, Map.of(), 20_000);
            try (Stream<Path> files = Files.list(dir)) {
                long shards = files.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count();
                assertTrue(shards > 2, "expected several shards, got " + shards);
            }
            assertTrue(Files.isRegularFile(dir.resolve("model.safetensors.index.json")));
            assertFalse(Files.exists(dir.resolve("model.safetensors")));
            try (CausalLM back = CausalLM.load(dir, Device.cpu())) {
                assertSameWeights(m, back);
            }
            Files.delete(dir.resolve("model-00002-of-" + String.format("%05d", countShards(dir)) + ".safetensors"));
            Files.delete(dir.resolve(Manifest.FILE_NAME));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> CausalLM.load(dir, Device.cpu()));
            assertTrue(e.getMessage().contains("model-00002-of-"), e.getMessage());
        }
    }

    private static long countShards(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("model-")).count();
        }
    }

    @Test
    void float16CheckpointsConvertToFloat32OnLoadUnlessAskedOtherwise() {
        Path dir = tmp.resolve("f16");
        try (CausalLM m = TestModels.perturbed(TestModels.qwenGqa(), 5);
                CausalLM h = m.copy(Device.cpu(), DataType.FLOAT16)) {
            h.save(dir, Map.of());
            assertEquals("float16", ModelConfig.read(dir.resolve("config.json")).dtype());
            try (CausalLM f32 = CausalLM.load(dir, Device.cpu());
                    CausalLM kept = CausalLM.load(dir, Device.cpu(), null);
                    CausalLM expected = h.copy(Device.cpu(), DataType.FLOAT32)) {
                assertEquals(DataType.FLOAT32, f32.dataType());
                assertEquals("float32", f32.config().dtype());
                assertSameWeights(expected, f32);
                assertEquals(DataType.FLOAT16, kept.dataType());
                assertSameWeights(h, kept);
                float[] reference = logits(m);
                assertTrue(TestModels.maxAbsDiff(logits(f32), reference) < 0.05f);
                assertTrue(TestModels.maxAbsDiff(logits(kept), reference) < 0.1f,
                        "a float16 forward runs and stays close");
            }
        }
    }

    @Test
    void bfloat16CheckpointsAreWrittenRoundedAndReadExactlyAsFloat32() throws IOException {
        Path dir = tmp.resolve("bf16");
        try (CausalLM m = TestModels.perturbed(TestModels.llamaTied(), 6)) {
            m.save(dir, Map.of(), 1L << 40, DataType.BFLOAT16);
            assertEquals("bfloat16", ModelConfig.read(dir.resolve("config.json")).dtype());
            assertEquals("BF16", SafeTensors.header(dir.resolve("model.safetensors"))
                    .get("model.norm.weight").dataType().asSafetensors());
            try (CausalLM back = CausalLM.load(dir, Device.cpu(), DataType.BFLOAT16)) {
                assertEquals(DataType.FLOAT32, back.dataType());
                for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
                    float[] original = e.getValue().toFloatArray();
                    float[] loaded = back.parameters().get(e.getKey()).toFloatArray();
                    for (int i = 0; i < original.length; i++) {
                        float rounded = SafeTensors.bf16ToFloat(SafeTensors.floatToBf16(original[i]));
                        assertEquals(Float.floatToIntBits(rounded), Float.floatToIntBits(loaded[i]),
                                e.getKey() + "[" + i + "]");
                    }
                }
                assertTrue(TestModels.maxAbsDiff(logits(back), logits(m)) < 0.05f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (CausalLM m = CausalLM.random(TestModels.qwenGqa(), 1, Device.cpu())) {
                m.copy(Device.cpu(), DataType.BFLOAT16).close();
            }
        });
    }

    @Test
    void tokenizerFilesTravelWithTheModel() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (CausalLM m = CausalLM.random(TestModels.qwenGqa(), 1, Device.cpu())) {
            m.save(a, Map.of());
        }
        TestTokenizers.write(a);
        try (CausalLM loaded = CausalLM.load(a, Device.cpu())) {
            assertEquals(a, loaded.sourceDirectory().orElseThrow());
            loaded.save(b, Map.of("generation_config.json", "{\"do_sample\": false}"));
        }
        Manifest manifest = CausalLM.verify(b);
        assertTrue(manifest.files().containsKey("tokenizer.json"));
        assertTrue(manifest.files().containsKey("tokenizer_config.json"));
        assertTrue(manifest.files().containsKey("generation_config.json"));
        assertEquals(Files.readString(a.resolve("tokenizer.json")), Files.readString(b.resolve("tokenizer.json")));
        try (Tokenizer t = Tokenizer.load(b)) {
            assertEquals(TestTokenizers.IM_END, t.eosTokenId().getAsInt());
        }
    }

    @Test
    void aCorruptedFileIsRefusedByName() throws IOException {
        Path dir = tmp.resolve("c");
        try (CausalLM m = CausalLM.random(TestModels.qwenGqa(), 2, Device.cpu())) {
            m.save(dir, Map.of());
        }
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 1;
        Files.write(weights, bytes);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CausalLM.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("sha256 mismatch for model.safetensors"), e.getMessage());

        Files.delete(dir.resolve("config.json"));
        e = assertThrows(CheckpointException.class, () -> CausalLM.verify(dir));
        assertTrue(e.getMessage().contains("missing file config.json"), e.getMessage());
    }

    @Test
    void withoutAManifestTruncatedWeightsAreStillAClearError() throws IOException {
        Path dir = tmp.resolve("t");
        try (CausalLM m = CausalLM.random(TestModels.qwenGqa(), 2, Device.cpu())) {
            m.save(dir, Map.of());
        }
        Files.delete(dir.resolve(Manifest.FILE_NAME));
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CausalLM.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("truncated"),
                e.getMessage());
        Files.delete(weights);
        e = assertThrows(CheckpointException.class, () -> CausalLM.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("missing file model.safetensors"), e.getMessage());
    }

    @Test
    void savingOverAnExistingCheckpointReplacesItWhole() throws IOException {
        Path dir = tmp.resolve("r");
        try (CausalLM a = CausalLM.random(TestModels.qwenGqa(), 1, Device.cpu());
                CausalLM b = CausalLM.random(TestModels.qwenGqa(), 2, Device.cpu())) {
            a.save(dir, Map.of("stale.txt", "x"));
            b.save(dir, Map.of());
            assertFalse(Files.exists(dir.resolve("stale.txt")));
            try (CausalLM back = CausalLM.load(dir, Device.cpu())) {
                assertSameWeights(b, back);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (CausalLM a = CausalLM.random(TestModels.qwenGqa(), 1, Device.cpu())) {
                a.save(tmp.resolve("bad"), Map.of("../escape", "x"));
            }
        });
    }
}
