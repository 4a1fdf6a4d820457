package org.o1pruner.toyworld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regenerates the toy world's shipped files from code and seeds: the train and test splits as
 * JSON Lines and the tokenizer directory. The test suite holds the committed files equal to
 * {@link #contents()}, so a change to the generator must come with regenerated files.
 *
 * <p>Run from the repository root:
 * {@code java -cp "toy-world/target/classes:$(cat toy-world/target/cp.txt)" org.o1pruner.toyworld.ToyWorldFiles
 * toy-world/src/main/resources/toyworld}.
 */
public final class ToyWorldFiles {

    private ToyWorldFiles() {
    }

    /** Relative path → content of every shipped file. */
    public static Map<String, String> contents() {
        Map<String, String> files = new LinkedHashMap<>();
        ProblemGenerator gen = new ProblemGenerator(ProblemMix.DEFAULT);
        for (Split s : Split.values()) {
            files.put(s.dataset() + ".jsonl", ProblemFiles.toJsonLines(gen.split(s)));
        }
        files.put("tokenizer/tokenizer.json", ToyVocabulary.get().tokenizerJson());
        files.put("tokenizer/tokenizer_config.json", ToyVocabulary.get().tokenizerConfigJson());
        return files;
    }

    /** Writes every file under {@code dir}. */
    public static void write(Path dir) throws IOException {
        for (Map.Entry<String, String> e : contents().entrySet()) {
            Path target = dir.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes the files.
     *
     * @param args {@code [resource dir]}, default {@code toy-world/src/main/resources/toyworld}
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "toy-world/src/main/resources/toyworld");
        write(dir);
        System.out.println("wrote " + contents().keySet() + " under " + dir.toAbsolutePath());
    }
}
