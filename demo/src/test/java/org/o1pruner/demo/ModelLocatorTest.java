package org.o1pruner.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheShippedModelAboveTheWorkingDirectory() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("toy-world/reference-model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Path deep = Files.createDirectories(tmp.resolve("a/b"));
        assertEquals(model, ModelLocator.locate(Optional.empty(), null, deep));
        assertEquals(model, ModelLocator.locate(Optional.empty(), tmp.toString(), Path.of("/")));
    }

    @Test
    void explicitDirectoryWinsAndIsChecked() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelLocator.locate(Optional.of(dir), null, tmp));
        assertTrue(e.getMessage().contains("O1P_DEMO_MODEL_DIR"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(dir, ModelLocator.locate(Optional.of(dir), null, tmp));
    }

    @Test
    void missingModelSaysHowToBuildIt() throws Exception {
        Files.createDirectories(tmp.resolve("toy-world"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelLocator.locate(Optional.empty(), tmp.toString(), tmp));
        assertTrue(e.getMessage().contains("ReferenceModelBuilder"), e.getMessage());
    }
}
