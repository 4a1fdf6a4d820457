package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedCheckpointTest {
    @TempDir
    static Path tmp;
    static Path good;

    private static Path write(Path dir, long seed) {
        try (CausalLM m = CausalLM.random(ModelConfig.tiny(), seed, Device.cpu())) {
            m.save(dir, Map.of());
        }
        return dir;
    }

    @BeforeAll
    static void model() {
        good = write(tmp.resolve("good"), 3);
    }

    /** The sums as the trainer publishes them: every file of the manifest. */
    private static Map<String, String> sums(Path dir) {
        Map<String, String> m = new TreeMap<>();
        Manifest.read(dir).files().forEach((f, s) -> m.put(f, s.sha256()));
        return m;
    }

    @Test
    void anIntactCheckpointVerifies() {
        Manifest m = PublishedCheckpoint.verify(good, sums(good));
        assertTrue(m.files().containsKey("model.safetensors"));
        assertTrue(m.files().containsKey("config.json"));
    }

    @Test
    void aRecordMayAlsoListTheManifestItselfWithItsTrueSum() {
        Map<String, String> withManifest = sums(good);
        withManifest.put(Manifest.FILE_NAME, Manifest.sha256(good.resolve(Manifest.FILE_NAME)));
        PublishedCheckpoint.verify(good, withManifest);

        withManifest.put(Manifest.FILE_NAME, "b".repeat(64));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(good, withManifest));
        assertTrue(e.getMessage().contains(Manifest.FILE_NAME), e.getMessage());
    }

    @Test
    void fileUrisAndPlainPathsAreLocalOtherSchemesAreRefused() {
        assertEquals(good, PublishedCheckpoint.directory(good.toUri().toString()));
        assertEquals(Path.of("/ckpt/v1"), PublishedCheckpoint.directory("/ckpt/v1"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.directory("s3://b/v1/"));
        assertTrue(e.getMessage().contains("s3://b/v1/"));
        e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.directory("file://host:x/v1"));
        assertTrue(e.getMessage().contains("file://host:x/v1"), e.getMessage());
    }

    @Test
    void aRecordThatDisagreesWithTheManifestIsRefused() throws Exception {
        Map<String, String> wrong = sums(good);
        wrong.put("config.json", "0".repeat(64));
        CheckpointException e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(good, wrong));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());

        Map<String, String> missing = sums(good);
        missing.remove("config.json");
        e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(good, missing));
        assertTrue(e.getMessage().contains("not in the checkpoint record"), e.getMessage());

        Map<String, String> extra = sums(good);
        extra.put("optimizer.safetensors", "a".repeat(64));
        e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(good, extra));
        assertTrue(e.getMessage().contains("optimizer.safetensors"), e.getMessage());

        Path elsewhere = Files.writeString(tmp.resolve("elsewhere.txt"), "not part of the checkpoint");
        Map<String, String> outside = sums(good);
        outside.put("../elsewhere.txt", Manifest.sha256(elsewhere));
        e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(good, outside));
        assertTrue(e.getMessage().contains("../elsewhere.txt"), e.getMessage());
    }

    @Test
    void changedWeightsAndMissingDirectoriesAreRefused() throws Exception {
        Path torn = write(tmp.resolve("torn"), 4);
        Map<String, String> before = sums(torn);
        Files.write(torn.resolve("model.safetensors"), new byte[] {0}, StandardOpenOption.APPEND);
        CheckpointException e = assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(torn, before));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertThrows(CheckpointException.class, () -> PublishedCheckpoint.verify(tmp.resolve("absent"), before));
    }
}
