package org.o1pruner.toyworld.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.o1pruner.toyworld.JsonlTestSet;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyProblem;
import org.o1pruner.toyworld.ToyWorld;

/**
 * The problems of a disharmony analysis, named as on the command line: {@code toy:test} or
 * {@code toy:train} for the toy world's shipped splits (with their difficulty), or a JSON Lines
 * file with {@code id}, {@code problem}, {@code answer} and optionally {@code difficulty} per line
 * (the paper's test sets under {@code data/}). Lines without a usable problem or ground truth are
 * skipped and counted, never silently dropped.
 *
 * @param name     the data set's name ({@code toy_test}, or the file's base name)
 * @param toy      whether it is a toy-world split (so traces follow the toy grammar)
 * @param problems the problems, in file order
 * @param skipped  lines left out
 */
public record AnalysisDataset(String name, boolean toy, List<AnalysisProblem> problems, int skipped) {
    public AnalysisDataset {
        Objects.requireNonNull(name, "name");
        problems = List.copyOf(problems);
    }

    /**
     * Loads a data set from its command-line name.
     *
     * @param spec {@code toy:test}, {@code toy:train} or a path to a {@code .jsonl} file
     * @throws IllegalArgumentException for an unknown toy split or a missing file
     */
    public static AnalysisDataset load(String spec) throws IOException {
        if (spec.startsWith("toy:")) {
            String which = spec.substring(4);
            for (Split s : Split.values()) {
                if (s.name().equalsIgnoreCase(which) || s.dataset().equals(which)) {
                    return toy(s);
                }
            }
            throw new IllegalArgumentException("unknown toy split '" + which + "', expected toy:test or toy:train");
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no data set file " + file.toAbsolutePath()
                    + " (use toy:test, toy:train or a .jsonl file)");
        }
        return read(file);
    }

    /** A toy-world split. */
    public static AnalysisDataset toy(Split split) {
        List<AnalysisProblem> out = new ArrayList<>();
        for (ToyProblem p : ToyWorld.standard().problems(split)) {
            out.add(new AnalysisProblem(p.id(), p.problem(), p.answer(), p.difficulty().tag()));
        }
        return new AnalysisDataset(split.dataset(), true, out, 0);
    }

    /** Reads a JSON Lines file ({@link JsonlTestSet}), named after its base name. */
    public static AnalysisDataset read(Path file) throws IOException {
        String base = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        JsonlTestSet.Contents contents = JsonlTestSet.read(file, base);
        List<AnalysisProblem> out = new ArrayList<>(contents.rows().size());
        for (JsonlTestSet.Row row : contents.rows()) {
            out.add(new AnalysisProblem(row.id(), row.problem(), row.answer(), row.difficulty()));
        }
        return new AnalysisDataset(base, false, out, contents.skipped());
    }

    /** The first {@code max} problems (all when {@code max <= 0} or there are fewer). */
    public AnalysisDataset limit(int max) {
        if (max <= 0 || max >= problems.size()) {
            return this;
        }
        return new AnalysisDataset(name, toy, problems.subList(0, max), skipped);
    }
}
