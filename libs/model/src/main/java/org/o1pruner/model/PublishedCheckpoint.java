package org.o1pruner.model;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a checkpoint that another service published before anything loads it: where its files
 * are (the record's URI) and whether they are the ones the record names. The directory's own
 * manifest must verify (every file present with its size and sha256), every file the record
 * lists must have the record's sha256, and every file of the manifest must be in the record.
 *
 * <p>A mismatch means a torn write, a corrupt store or a record about other files; the sampler
 * and the evaluator share this one check so that both refuse exactly the same checkpoints.
 */
public final class PublishedCheckpoint {
    private PublishedCheckpoint() {}

    /**
     * The local directory of a checkpoint URI ({@code file:} URIs and plain paths).
     *
     * @throws CheckpointException for a malformed {@code file:} URI, or another scheme: an
     *     object store needs a download step first
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
     * Verifies {@code dir} against its manifest and against the record's sums. A file the record
     * lists that the manifest does not (such as the manifest itself) must lie inside {@code dir}
     * and have the record's sha256.
     *
     * @param sha256ByFile file name relative to {@code dir} to its lower-case hex sha256, as the
     *     checkpoints topic carries it
     * @return the verified manifest
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
                    throw new CheckpointException("checkpoint " + dir + ": file " + file
                            + " named by the record is missing");
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
