package org.o1pruner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code o1p-manifest.json} of a checkpoint directory: the sha256 and size of every file.
 *
 * <p>Written last by an atomic save and checked before loading, so a consumer never trains or
 * samples from a half-copied or corrupted checkpoint. The same sums travel on the checkpoints
 * topic.
 *
 * @param files file name to its sha256 (lower-case hex) and size
 */
public record Manifest(Map<String, FileSum> files) {

    /** File name of the manifest inside a checkpoint directory. */
    public static final String FILE_NAME = "o1p-manifest.json";
    static final String FORMAT = "o1p-manifest/1";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One file's checksum and size in bytes. */
    public record FileSum(String sha256, long bytes) {}

    public Manifest {
        files = Map.copyOf(new TreeMap<>(files));
    }

    /** Computes the manifest of every regular file in {@code dir} except the manifest itself. */
    public static Manifest compute(Path dir) {
        Map<String, FileSum> sums = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.equals(FILE_NAME)) {
                    sums.put(name, new FileSum(sha256(p), Files.size(p)));
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return new Manifest(sums);
    }

    /** Reads the manifest of {@code dir}. */
    public static Manifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new CheckpointException(file + ": unknown manifest format "
                        + root.path("format").asText());
            }
            Map<String, FileSum> sums = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sums.put(e.getKey(), new FileSum(e.getValue().path("sha256").asText(),
                        e.getValue().path("bytes").asLong(-1)));
            }
            return new Manifest(sums);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("missing manifest " + file, e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this manifest into {@code dir} (not forced to disk; callers fsync). */
    public void write(Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode f = root.putObject("files");
        new TreeMap<>(files).forEach((name, sum) ->
                f.putObject(name).put("sha256", sum.sha256()).put("bytes", sum.bytes()));
        try {
            Files.write(dir.resolve(FILE_NAME), JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new CheckpointException("cannot write manifest in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks every file the manifest of {@code dir} lists, and that no weights or config file is
     * present without being listed.
     *
     * @return the verified manifest
     * @throws CheckpointException naming the first missing, unlisted or mismatched file
     */
    public static Manifest verify(Path dir) {
        Manifest m = read(dir);
        for (Map.Entry<String, FileSum> e : new TreeMap<>(m.files()).entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (!Files.isRegularFile(p)) {
                throw new CheckpointException("checkpoint " + dir + ": missing file " + e.getKey());
            }
            try {
                long size = Files.size(p);
                if (size != e.getValue().bytes()) {
                    throw new CheckpointException("checkpoint " + dir + ": file " + e.getKey()
                            + " has " + size + " bytes, manifest says " + e.getValue().bytes());
                }
            } catch (IOException ex) {
                throw new CheckpointException("cannot stat " + p, ex);
            }
            String actual = sha256(p);
            if (!actual.equals(e.getValue().sha256())) {
                throw new CheckpointException("checkpoint " + dir + ": sha256 mismatch for "
                        + e.getKey() + " (manifest " + e.getValue().sha256() + ", file " + actual + ")");
            }
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                boolean essential = name.endsWith(".safetensors") || name.equals("config.json")
                        || name.equals("model.safetensors.index.json");
                if (essential && !m.files().containsKey(name)) {
                    throw new CheckpointException("checkpoint " + dir + ": file " + name
                            + " is not listed in " + FILE_NAME);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return m;
    }

    /** Lower-case hex sha256 of a file's content. */
    public static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
