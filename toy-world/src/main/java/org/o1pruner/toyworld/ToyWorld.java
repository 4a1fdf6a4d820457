package org.o1pruner.toyworld;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The embedded default task in one place: the shipped problem splits, the trace writer, the
 * prompt, and the tokenizer directory that the model engine loads like any Hugging Face one.
 * Thread-safe; splits are read from the class path once.
 */
public final class ToyWorld {

    /** Class-path folder of the shipped files. */
    public static final String RESOURCE_DIR = "toyworld";
    /** Files of the tokenizer directory. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json");

    private static final ToyWorld STANDARD = new ToyWorld(WorldParams.DEFAULT);

    private final TraceGenerator traces;
    private final Map<Split, List<ToyProblem>> problems = new EnumMap<>(Split.class);
    private Path tokenizerDir;

    public ToyWorld(WorldParams params) {
        this.traces = new TraceGenerator(params);
    }

    /** The world with the committed settings. */
    public static ToyWorld standard() {
        return STANDARD;
    }

    /** The trace writer's settings. */
    public WorldParams params() {
        return traces.params();
    }

    /** The shipped problems of a split (same as regenerating it from its seed). */
    public synchronized List<ToyProblem> problems(Split split) {
        return problems.computeIfAbsent(split, s -> {
            String name = RESOURCE_DIR + "/" + s.dataset() + ".jsonl";
            try (InputStream in = resource(name)) {
                return List.copyOf(ProblemFiles.read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        });
    }

    /** Writes one solution of {@code problem}. */
    public Trace trace(ToyProblem problem, RandomGenerator rng, Variant variant) {
        return traces.generate(problem, rng, variant);
    }

    /** The prompt text for {@code problem}. */
    public String prompt(ToyProblem problem, Variant variant) {
        return ToyPrompt.render(problem, variant);
    }

    /** The vocabulary. */
    public ToyVocabulary vocabulary() {
        return ToyVocabulary.get();
    }

    /**
     * A directory holding {@code tokenizer.json} and {@code tokenizer_config.json}, extracted from
     * the class path on first use (into a fresh temporary directory).
     */
    public synchronized Path tokenizerDir() {
        if (tokenizerDir == null) {
            try {
                Path dir = Files.createTempDirectory("o1p-toy-tokenizer");
                copyTokenizerTo(dir);
                tokenizerDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the toy tokenizer", e);
            }
        }
        return tokenizerDir;
    }

    /** Copies the tokenizer files into {@code dir} (created if missing). */
    public static void copyTokenizerTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : TOKENIZER_FILES) {
            try (InputStream in = resource(RESOURCE_DIR + "/tokenizer/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
    }

    /**
     * An endless, seeded stream of supervised fine-tuning examples: a training problem drawn at
     * random, its prompt, and one written trace followed by the end-of-sequence token. A share
     * {@code fastShare} of examples use the fast-solving prompt, so the reference model learns to
     * obey it.
     */
    public SftStream sftStream(Split split, long seed, double fastShare) {
        if (!(fastShare >= 0 && fastShare <= 1)) {
            throw new IllegalArgumentException("fastShare must lie in [0, 1], got " + fastShare);
        }
        return new SftStream(problems(split), seed, fastShare);
    }

    /** One supervised example: prompt text and response text (the response ends with the EOS token). */
    public record SftExample(ToyProblem problem, Variant variant, String prompt, String response, Trace trace) {
    }

    /** See {@link #sftStream}. Not thread-safe. */
    public final class SftStream {
        private final List<ToyProblem> pool;
        private final SplittableRandom rng;
        private final double fastShare;

        SftStream(List<ToyProblem> pool, long seed, double fastShare) {
            this.pool = pool;
            this.rng = new SplittableRandom(seed);
            this.fastShare = fastShare;
        }

        /** The next example. */
        public SftExample next() {
            ToyProblem p = pool.get(rng.nextInt(pool.size()));
            Variant v = rng.nextDouble() < fastShare ? Variant.FAST : Variant.LONG;
            Trace t = traces.generate(p, rng, v);
            return new SftExample(p, v, ToyPrompt.render(p, v), t.text() + ToyVocabulary.IM_END, t);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ToyWorld.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("class-path resource " + name + " is missing; run ToyWorldFiles to regenerate it");
        }
        return in;
    }

    static String readResource(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
