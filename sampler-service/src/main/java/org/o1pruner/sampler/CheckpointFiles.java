package org.o1pruner.sampler;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.Manifest;

/**
 * Where a published checkpoint's files are and whether they are the ones the record names:
 * the directory's own manifest must verify, and every file the record lists must have the
 * record's sha256, and every file of the manifest must be listed. A sampler loads nothing
 * that fails this.
 */
public final class CheckpointFiles {
    private CheckpointFiles() {
    }

    /**
     * The local directory of a checkpoint URI: {@code file:} URIs and plain paths.
     *
     * @throws CheckpointException for another scheme (an object store needs a download step first)
     */
    public static Path directory(String uri) {
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri));
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new CheckpointException("checkpoint URI " + uri + " is not a local file URI; only file: is supported");
        }
        return Path.of(uri);
    }

    /**
     * Verifies {@code dir} against its manifest and against the record's sums.
     *
     * @throws CheckpointException naming the first missing, unlisted or mismatched file
     */
    public static Manifest verify(Path dir, Map<String, String> sha256ByFile) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory " + dir + " does not exist");
        }
        Manifest manifest = Manifest.verify(dir);
        for (Map.Entry<String, String> e : new TreeMap<>(sha256ByFile).entrySet()) {
            String file = e.getKey();
            Manifest.FileSum listed = manifest.files().get(file);
            String actual;
            if (listed != null) {
                actual = listed.sha256();
            } else {
                Path p = dir.resolve(file).normalize();
                if (!p.startsWith(dir.normalize()) || !Files.isRegularFile(p)) {
                    throw new CheckpointException("checkpoint " + dir + ": file " + file + " named by the record is missing");
                }
                actual = Manifest.sha256(p);
            }
            if (!actual.equals(e.getValue())) {
                throw new CheckpointException("checkpoint " + dir + ": sha256 of " + file + " is " + actual
                        + " but the checkpoint record says " + e.getValue());
            }
        }
        for (String file : manifest.files().keySet()) {
            if (!sha256ByFile.containsKey(file)) {
                throw new CheckpointException("checkpoint " + dir + ": file " + file
                        + " is in the manifest but not in the checkpoint record");
            }
        }
        return manifest;
    }
}
