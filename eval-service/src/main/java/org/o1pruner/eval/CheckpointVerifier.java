package org.o1pruner.eval;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.Manifest;

/**
 * Checks a published checkpoint before anything loads it: the directory's own manifest must
 * verify (every file present with its sha256), every file the {@code checkpoints} record lists
 * must have the record's sha256, and every file of the manifest must be in the record. A
 * mismatch means a torn write, a corrupt store or a record about other files; the evaluator
 * refuses it rather than scoring the wrong weights.
 */
public final class CheckpointVerifier {
    private CheckpointVerifier() {}

    /**
     * The local directory of a checkpoint URI ({@code file:} URIs and plain paths).
     *
     * @throws CheckpointException for another scheme: an object store needs a download step first
     */
    public static Path directory(String uri) {
        if (uri.startsWith("file:")) {
            try {
                return Path.of(URI.create(uri));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException("checkpoint URI " + uri + " is not a valid file URI: " + e.getMessage(), e);
            }
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new CheckpointException("checkpoint URI " + uri + " is not a local file URI; only file: is supported");
        }
        return Path.of(uri);
    }

    /**
     * @throws CheckpointException naming the first missing, unlisted or mismatched file
     */
    public static Manifest verify(Path dir, Map<String, String> sha256ByFile) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory " + dir + " does not exist");
        }
        Manifest manifest = Manifest.verify(dir);
        for (Map.Entry<String, String> e : new TreeMap<>(sha256ByFile).entrySet()) {
            Manifest.FileSum listed = manifest.files().get(e.getKey());
            if (listed == null) {
                throw new CheckpointException("checkpoint " + dir + ": file " + e.getKey()
                        + " named by the record is not in the manifest");
            }
            if (!listed.sha256().equals(e.getValue())) {
                throw new CheckpointException("checkpoint " + dir + ": sha256 of " + e.getKey() + " is "
                        + listed.sha256() + " but the checkpoint record says " + e.getValue());
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
