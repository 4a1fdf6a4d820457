package org.o1pruner.eval;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.o1pruner.toyworld.JsonlTestSet;
import org.o1pruner.toyworld.Split;
import org.o1pruner.toyworld.ToyProblem;
import org.o1pruner.toyworld.ToyWorld;

/**
 * A named test set. The toy world's splits ({@code toy_test}, {@code toy_train}) come from the
 * toy-world module; every other name is a JSON Lines file {@code <dataDir>/<name>.jsonl} with
 * {@code id}, {@code problem} and {@code answer} per line (the paper's {@code math_test},
 * {@code gsm8k_test}, {@code gaokao_test} are vendored under {@code data/}).
 *
 * <p>Rows whose ground truth no grader could use (empty, null) are left out and counted in
 * {@link #skipped()}, so that they neither count as failures of the model nor go unnoticed.
 *
 * @param name     the data set's name (the {@code dataset} of its {@code evals} records)
 * @param problems the problems to evaluate, in file order
 * @param skipped  rows left out: unusable ground truth or malformed lines
 */
public record EvalDataset(String name, List<EvalProblem> problems, int skipped) {
    public EvalDataset {
        Objects.requireNonNull(name, "name");
        problems = List.copyOf(problems);
    }

    /** The first {@code max} problems (all when {@code max <= 0} or there are fewer). */
    public EvalDataset limit(int max) {
        if (max <= 0 || max >= problems.size()) {
            return this;
        }
        return new EvalDataset(name, problems.subList(0, max), skipped);
    }

    /**
     * Loads a data set by name.
     *
     * @param dataDir where {@code <name>.jsonl} files live (ignored for the toy splits)
     * @throws IllegalArgumentException when there is no such data set
     * @throws IOException when the file cannot be read
     */
    public static EvalDataset load(String name, Path dataDir) throws IOException {
        for (Split split : Split.values()) {
            if (split.dataset().equals(name)) {
                return toy(split);
            }
        }
        Path file = dataDir.resolve(name + ".jsonl");
        try {
            return read(name, file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no data set '" + name + "': neither a toy split ("
                    + Split.TEST.dataset() + ", " + Split.TRAIN.dataset() + ") nor a file " + file, e);
        }
    }

    /** A toy-world split. */
    public static EvalDataset toy(Split split) {
        List<EvalProblem> out = new ArrayList<>();
        for (ToyProblem p : ToyWorld.standard().problems(split)) {
            out.add(new EvalProblem(p.id(), p.problem(), p.answer()));
        }
        return new EvalDataset(split.dataset(), out, 0);
    }

    /**
     * Reads a JSON Lines file ({@link JsonlTestSet}); malformed lines and unusable truths are
     * skipped and counted, and a row without an {@code id} is named {@code <name>-<line number>}.
     */
    public static EvalDataset read(String name, Path file) throws IOException {
        JsonlTestSet.Contents contents = JsonlTestSet.read(file, name);
        List<EvalProblem> out = new ArrayList<>(contents.rows().size());
        for (JsonlTestSet.Row row : contents.rows()) {
            out.add(new EvalProblem(row.id(), row.problem(), row.answer()));
        }
        return new EvalDataset(name, out, contents.skipped());
    }
}
