package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/** Reading and atomically writing Hugging Face model directories (see {@link CausalLM}). */
final class Checkpoints {

    static final String CONFIG = "config.json";
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    /** Shard threshold: safetensors offsets stay well inside what every reader handles. */
    static final long DEFAULT_SHARD_BYTES = 1_900_000_000L;
    /** Tokenizer and generation files copied from the source directory when saving. */
    static final List<String> SIDE_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json", "vocab.json", "merges.txt",
            "added_tokens.json", "chat_template.jinja");

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    static CausalLM load(Path dir, Device device, DataType floatType) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " does not exist");
        }
        if (Files.exists(dir.resolve(Manifest.FILE_NAME))) {
            Manifest.verify(dir);
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException("model directory " + dir + ": missing file " + CONFIG);
        }
        ModelConfig config;
        try {
            config = ModelConfig.read(configFile);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        List<Path> files = weightFiles(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> params = new TreeMap<>();
            Map<String, Shape> expected = CausalLM.expectedShapes(config);
            for (Path f : files) {
                for (Map.Entry<String, NDArray> e : SafeTensors.read(f, manager, floatType).entrySet()) {
                    String name = e.getKey();
                    if (name.endsWith("rotary_emb.inv_freq")
                            || (name.equals("lm_head.weight") && config.tieWordEmbeddings())) {
                        e.getValue().close();
                        continue;
                    }
                    if (!expected.containsKey(name)) {
                        throw new CheckpointException(f + ": unexpected tensor " + name
                                + " for " + config.architecture());
                    }
                    if (params.put(name, e.getValue()) != null) {
                        throw new CheckpointException(f + ": tensor " + name + " appears twice");
                    }
                }
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                NDArray a = params.get(e.getKey());
                if (a == null) {
                    throw new CheckpointException("model directory " + dir + ": missing tensor " + e.getKey());
                }
                if (!a.getShape().equals(e.getValue())) {
                    throw new CheckpointException("model directory " + dir + ": tensor " + e.getKey()
                            + " has shape " + a.getShape() + ", config needs " + e.getValue());
                }
            }
            if (device != null && !device.equals(manager.getDevice())) {
                throw new IllegalStateException("manager device mismatch");
            }
            DataType loaded = params.get("model.embed_tokens.weight").getDataType();
            String name = CausalLM.dtypeName(loaded);
            ModelConfig actual = name == null ? config : config.toBuilder().optDtype(name).build();
            CausalLM model = new CausalLM(actual, manager, params);
            model.setSourceDirectory(dir);
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static List<Path> weightFiles(Path dir) {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            JsonNode root;
            try {
                root = JSON.readTree(index.toFile());
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
            }
            TreeSet<String> names = new TreeSet<>();
            for (Iterator<JsonNode> it = root.path("weight_map").elements(); it.hasNext(); ) {
                names.add(it.next().asText());
            }
            if (names.isEmpty()) {
                throw new CheckpointException(index + ": empty weight_map");
            }
            List<Path> files = new ArrayList<>();
            for (String n : names) {
                Path p = dir.resolve(n);
                if (!Files.isRegularFile(p)) {
                    throw new CheckpointException("model directory " + dir + ": missing shard " + n
                            + " named in " + INDEX);
                }
                files.add(p);
            }
            return files;
        }
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        throw new CheckpointException("model directory " + dir + ": missing file " + SINGLE
                + " (or " + INDEX + ")");
    }

    static void save(CausalLM model, Path dir, Map<String, String> extraFiles, long shardBytes,
            DataType storeAs) {
        for (String name : extraFiles.keySet()) {
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                    || name.equals(Manifest.FILE_NAME)) {
                throw new IllegalArgumentException("bad extra file name " + name);
            }
        }
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            writeWeights(model, tmp, shardBytes, storeAs);
            ModelConfig cfg = model.config();
            String dtype = CausalLM.dtypeName(storeAs != null ? storeAs : model.dataType());
            if (dtype != null && !dtype.equals(cfg.dtype())) {
                cfg = cfg.toBuilder().optDtype(dtype).build();
            }
            cfg.write(tmp.resolve(CONFIG));
            if (model.sourceDirectory().isPresent()) {
                Path src = model.sourceDirectory().get();
                for (String f : SIDE_FILES) {
                    Path p = src.resolve(f);
                    if (Files.isRegularFile(p) && !extraFiles.containsKey(f)) {
                        Files.copy(p, tmp.resolve(f));
                    }
                }
            }
            for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                Files.write(tmp.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            try (Stream<Path> list = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) list::iterator) {
                    fsync(p, false);
                }
            }
            Manifest.compute(tmp).write(tmp);
            fsync(tmp.resolve(Manifest.FILE_NAME), false);
            fsync(tmp, true);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + ".old-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new CheckpointException("file system of " + parent
                        + " cannot rename atomically", e);
            }
            fsync(parent, true);
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot save checkpoint " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void writeWeights(CausalLM model, Path dir, long shardBytes, DataType storeAs)
            throws IOException {
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long total = 0;
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            long size = SafeTensors.byteSize(e.getValue(), storeAs);
            if (!current.isEmpty() && currentBytes + size > shardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += size;
            total += size;
        }
        shards.add(current);
        if (shards.size() == 1) {
            SafeTensors.write(dir.resolve(SINGLE), current, storeAs);
            return;
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafeTensors.write(dir.resolve(file), shards.get(i), storeAs);
            for (String name : shards.get(i).keySet()) {
                map.put(name, file);
            }
        }
        Files.write(dir.resolve(INDEX), JSON.writeValueAsBytes(index));
    }

    private static void fsync(Path p, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(p, directory ? StandardOpenOption.READ
                : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.exists(p)) {
                deleteTree(p);
            }
        } catch (IOException suppressed) {
            // best effort: the temp directory name marks it as garbage
        }
    }
}
