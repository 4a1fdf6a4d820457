package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.Manifest;

class CheckpointVerifierTest {
    @TempDir
    static Path tmp;
    static Path good;

    @BeforeAll
    static void model() {
        good = ToyModels.write(tmp.resolve("good"), 3, false);
    }

    private static Map<String, String> sums(Path dir) {
        Map<String, String> m = new TreeMap<>();
        Manifest.read(dir).files().forEach((f, s) -> m.put(f, s.sha256()));
        return m;
    }

    @Test
    void anIntactCheckpointVerifies() {
        Manifest m = CheckpointVerifier.verify(good, sums(good));
        assertTrue(m.files().containsKey("model.safetensors"));
        assertTrue(m.files().containsKey("config.json"));
    }

    @Test
    void fileUrisAndPlainPathsAreLocalOtherSchemesAreRefused() {
        assertEquals(good, CheckpointVerifier.directory(good.toUri().toString()));
        assertEquals(Path.of("/ckpt/v1"), CheckpointVerifier.directory("/ckpt/v1"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointVerifier.directory("s3://b/v1/"));
        assertTrue(e.getMessage().contains("s3://b/v1/"));
    }

    @Test
    void aRecordThatDisagreesWithTheManifestIsRefused() {
        Map<String, String> wrong = sums(good);
        wrong.put("config.json", "0".repeat(64));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointVerifier.verify(good, wrong));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());

        Map<String, String> missing = sums(good);
        missing.remove("config.json");
        e = assertThrows(CheckpointException.class, () -> CheckpointVerifier.verify(good, missing));
        assertTrue(e.getMessage().contains("not in the checkpoint record"), e.getMessage());

        Map<String, String> extra = sums(good);
        extra.put("optimizer.safetensors", "a".repeat(64));
        e = assertThrows(CheckpointException.class, () -> CheckpointVerifier.verify(good, extra));
        assertTrue(e.getMessage().contains("optimizer.safetensors"), e.getMessage());
    }

    @Test
    void changedWeightsAndMissingDirectoriesAreRefused() throws Exception {
        Path torn = ToyModels.write(tmp.resolve("torn"), 4, false);
        Map<String, String> before = sums(torn);
        Files.write(torn.resolve("model.safetensors"), new byte[] {0}, StandardOpenOption.APPEND);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointVerifier.verify(torn, before));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertThrows(CheckpointException.class, () -> CheckpointVerifier.verify(tmp.resolve("absent"), before));
    }
}
