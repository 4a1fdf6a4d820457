package org.o1pruner.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shipped toy reference model ({@code toy-world/reference-model}) relative to the
 * repository root: the {@code o1p.home} system property that {@code ./o1p} sets, else the first
 * directory above the working directory that contains {@code toy-world/}. An explicit directory
 * ({@code O1P_DEMO_MODEL_DIR}) wins.
 */
public final class ModelLocator {
    /** The shipped model, relative to the repository root. */
    public static final Path SHIPPED = Path.of("toy-world", "reference-model");

    private ModelLocator() {}

    /**
     * @param explicit the configured directory, if any
     * @param home     the {@code o1p.home} property, or null
     * @param cwd      the working directory
     * @throws IllegalStateException naming where it looked when nothing usable is found
     */
    public static Path locate(Optional<Path> explicit, String home, Path cwd) {
        if (explicit.isPresent()) {
            Path dir = explicit.get();
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IllegalStateException("O1P_DEMO_MODEL_DIR " + dir.toAbsolutePath()
                        + " is not a model directory (no config.json)");
            }
            return dir;
        }
        Path root = repositoryRoot(home, cwd).orElseThrow(() -> new IllegalStateException(
                "cannot find the repository root (no o1p.home property and no toy-world/ above " + cwd.toAbsolutePath()
                        + "); set O1P_DEMO_MODEL_DIR or --model"));
        Path dir = root.resolve(SHIPPED);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalStateException("the toy reference model is not at " + dir.toAbsolutePath()
                    + "; build it (toy-world/README.md: ReferenceModelBuilder) or set O1P_DEMO_MODEL_DIR");
        }
        return dir;
    }

    /** The repository root: {@code home} when given, else the first ancestor of {@code cwd} holding {@code toy-world/}. */
    public static Optional<Path> repositoryRoot(String home, Path cwd) {
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home));
        }
        for (Path p = cwd.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("toy-world"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
