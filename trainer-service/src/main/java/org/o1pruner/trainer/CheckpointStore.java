package org.o1pruner.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.CheckpointException;
import org.o1pruner.model.Manifest;
import org.o1pruner.trainer.core.AdvantageStats;
import org.o1pruner.trainer.core.OffsetLedger.PartitionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's checkpoints on disk: one directory per version ({@code v00000003}) under a root,
 * each a Hugging Face model directory (weights, {@code config.json}, tokenizer files) plus the
 * optimizer state ({@code optimizer.safetensors}, {@code optimizer.json}) and
 * {@value #STATE_FILE} (step, versions, advantage statistics, the scored-topic offsets trained
 * through, the settings, metrics), all covered by the engine's {@code o1p-manifest.json}.
 *
 * <p>A checkpoint appears atomically: it is assembled in a hidden staging directory, every file
 * and the directory forced to disk, the manifest written last, then renamed into place. On start
 * the newest directory whose manifest verifies is used; a damaged one is skipped with a warning.
 */
public final class CheckpointStore {
    /** The trainer's state file inside a checkpoint. */
    public static final String STATE_FILE = "trainer-state.json";
    static final String FORMAT = "o1p-trainer-state/1";
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d{8,})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    /**
     * Everything besides weights and optimizer that a restart needs.
     *
     * @param version this checkpoint's version
     * @param parentVersion the version it was trained from
     * @param step optimizer steps taken
     * @param objective objective wire name
     * @param itemsTrained training items (samples or pairs) trained in total
     * @param recordsTrained scored records trained in total (a DPO pair counts its two)
     * @param tokensTrained response tokens trained in total
     * @param advantage running advantage statistics
     * @param offsets scored-topic partition → position and pending offsets
     * @param metrics training metrics at write time
     * @param settings the training settings (for the record)
     * @param createdAtMs write time, ms since the epoch
     */
    public record TrainerState(long version, long parentVersion, long step, String objective, long itemsTrained,
            long recordsTrained, long tokensTrained, AdvantageStats advantage, Map<Integer, PartitionState> offsets,
            Map<String, Double> metrics, Map<String, String> settings, long createdAtMs) {}

    /**
     * A checkpoint on disk.
     *
     * @param dir its directory
     * @param state its trainer state
     * @param manifest the verified manifest
     */
    public record Stored(Path dir, TrainerState state, Manifest manifest) {}

    /** Writes the optimizer state (or other binary files) into the staging directory. */
    @FunctionalInterface
    public interface ExtraWriter {
        void write(Path dir) throws IOException;
    }

    private final Path root;
    private final int keep;

    /**
     * @param root directory of the run's checkpoints (created when missing)
     * @param keep newest checkpoints kept; 0 keeps all
     */
    public CheckpointStore(Path root, int keep) {
        this.root = root.toAbsolutePath().normalize();
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0, got " + keep);
        }
        this.keep = keep;
    }

    public Path root() {
        return root;
    }

    /** The directory of a version. */
    public Path dirFor(long version) {
        return root.resolve(String.format("v%08d", version));
    }

    /**
     * Writes a checkpoint atomically and returns it verified.
     *
     * @throws CheckpointException when anything fails (nothing is left at the version's path)
     */
    public Stored write(CausalLM model, ExtraWriter optimizer, TrainerState state) {
        Path target = dirFor(state.version());
        Path staging = root.resolve(".stage-" + target.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(root);
            model.save(staging, Map.of(STATE_FILE, toJson(state)));
            optimizer.write(staging);
            try (Stream<Path> files = Files.list(staging)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    fsync(p, false);
                }
            }
            Manifest.compute(staging).write(staging);
            fsync(staging.resolve(Manifest.FILE_NAME), false);
            fsync(staging, true);
            if (Files.exists(target)) {
                throw new CheckpointException("checkpoint " + target + " already exists; versions are never rewritten");
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(root, true);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
        Stored stored = new Stored(target, state, Manifest.verify(target));
        prune();
        return stored;
    }

    /** Deletes staging directories a crash left behind (they never became checkpoints). */
    public void removeStaging() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> list = Files.list(root)) {
            list.filter(p -> p.getFileName().toString().startsWith(".stage-")
                    || p.getFileName().toString().contains(".tmp-")).forEach(CheckpointStore::deleteQuietly);
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** The newest checkpoint that verifies, if any. */
    public Optional<Stored> latest() {
        for (Path dir : versionDirs()) {
            try {
                Manifest m = Manifest.verify(dir);
                return Optional.of(new Stored(dir, readState(dir), m));
            } catch (CheckpointException | IllegalArgumentException e) {
                LOG.warn("skipping damaged checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Version directories, newest first. */
    public List<Path> versionDirs() {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return dirs;
        }
        try (Stream<Path> list = Files.list(root)) {
            list.filter(p -> Files.isDirectory(p) && VERSION_DIR.matcher(p.getFileName().toString()).matches())
                    .forEach(dirs::add);
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + root + ": " + e.getMessage(), e);
        }
        dirs.sort(Comparator.comparing((Path p) -> Long.parseLong(p.getFileName().toString().substring(1))).reversed());
        return dirs;
    }

    /** Reads a checkpoint's trainer state. */
    public static TrainerState readState(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String toJson(TrainerState s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", s.version());
        root.put("parent_version", s.parentVersion());
        root.put("step", s.step());
        root.put("objective", s.objective());
        root.put("items_trained", s.itemsTrained());
        root.put("records_trained", s.recordsTrained());
        root.put("tokens_trained", s.tokensTrained());
        root.put("created_at_ms", s.createdAtMs());
        ObjectNode adv = root.putObject("advantage");
        adv.put("count", s.advantage().count());
        adv.put("mean", s.advantage().mean());
        adv.put("m2", s.advantage().m2());
        ObjectNode offsets = root.putObject("offsets");
        s.offsets().forEach((p, st) -> {
            ObjectNode o = offsets.putObject(Integer.toString(p));
            o.put("position", st.position());
            ArrayNode pending = o.putArray("pending");
            st.pending().forEach(pending::add);
        });
        ObjectNode metrics = root.putObject("metrics");
        new TreeMap<>(s.metrics()).forEach(metrics::put);
        ObjectNode settings = root.putObject("settings");
        new TreeMap<>(s.settings()).forEach(settings::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize trainer state", e);
        }
    }

    static TrainerState fromJson(String json) throws IOException {
        JsonNode r = JSON.readTree(json);
        if (!FORMAT.equals(r.path("format").asText())) {
            throw new CheckpointException("unknown trainer state format '" + r.path("format").asText() + "'");
        }
        JsonNode adv = r.path("advantage");
        AdvantageStats stats = new AdvantageStats(adv.path("count").asLong(), adv.path("mean").asDouble(),
                adv.path("m2").asDouble());
        Map<Integer, PartitionState> offsets = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("offsets").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TreeSet<Long> pending = new TreeSet<>();
            e.getValue().path("pending").forEach(n -> pending.add(n.asLong()));
            offsets.put(Integer.parseInt(e.getKey()), new PartitionState(e.getValue().path("position").asLong(), pending));
        }
        Map<String, Double> metrics = new TreeMap<>();
        r.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        Map<String, String> settings = new TreeMap<>();
        r.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return new TrainerState(r.path("version").asLong(), r.path("parent_version").asLong(), r.path("step").asLong(),
                r.path("objective").asText(), r.path("items_trained").asLong(), r.path("records_trained").asLong(),
                r.path("tokens_trained").asLong(), stats, offsets, metrics, settings, r.path("created_at_ms").asLong());
    }

    private void prune() {
        if (keep == 0) {
            return;
        }
        List<Path> dirs = versionDirs();
        for (int i = keep; i < dirs.size(); i++) {
            deleteQuietly(dirs.get(i));
        }
    }

    private static void fsync(Path p, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(p, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.getMessage());
        }
    }
}
