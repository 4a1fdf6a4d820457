package org.o1pruner.eval;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.Grade;
import org.o1pruner.grading.Grader;

/**
 * Runs a {@link Solver} over a data set in batches and grades every solution: the library call
 * behind the eval service, {@code o1p eval} and the demo's comparisons (baseline, fast prompt,
 * SFT, DPO, O1-Pruner, greedy and sampled).
 *
 * <p>Each batch gets the seed {@code seed + index of its first problem}, so the same model, data
 * set and settings give the same solutions whatever else runs. A solution is correct when the
 * grader finds its last {@code \boxed{}} equivalent to the ground truth; its length is L(y) in
 * tokens, EOS excluded. Not thread-safe (one solver, one thread).
 */
public final class Evaluator {
    private final Grader grader;
    private final Options options;

    /**
     * @param decoding     greedy or sampled, samples per problem, fast prompt
     * @param maxNewTokens token limit per solution, ≥ 1
     * @param batchSize    problems per solver call, ≥ 1 (each yields {@code samples} rows)
     * @param seed         base seed of sampled decoding
     * @param progress     where a progress bar goes (e.g. {@code System.err}), or null for none
     */
    public record Options(Decoding decoding, int maxNewTokens, int batchSize, long seed, PrintStream progress) {
        public Options {
            Objects.requireNonNull(decoding, "decoding");
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
        }

        /** The paper's protocol: greedy, one solution per problem, no progress bar. */
        public static Options greedy(int maxNewTokens, int batchSize) {
            return new Options(Decoding.greedy(), maxNewTokens, batchSize, 0, null);
        }

        public Options withDecoding(Decoding d) {
            return new Options(d, maxNewTokens, batchSize, seed, progress);
        }

        public Options withProgress(PrintStream p) {
            return new Options(decoding, maxNewTokens, batchSize, seed, p);
        }
    }

    public Evaluator(Grader grader, Options options) {
        this.grader = Objects.requireNonNull(grader, "grader");
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /** Evaluates {@code solver} on every problem of {@code dataset}. */
    public EvalSummary evaluate(Solver solver, EvalDataset dataset) {
        return evaluate(solver, dataset, null);
    }

    /**
     * Evaluates {@code solver} on every problem of {@code dataset}.
     *
     * @param what names the solver on the progress bar (e.g. the model), or null
     */
    public EvalSummary evaluate(Solver solver, EvalDataset dataset, String what) {
        List<EvalProblem> problems = dataset.problems();
        ProgressBar bar = new ProgressBar(options.progress(),
                (what == null ? "" : what + " ") + dataset.name() + " " + options.decoding().label(), problems.size());
        EvalSummary total = EvalSummary.EMPTY;
        for (int from = 0; from < problems.size(); from += options.batchSize()) {
            List<EvalProblem> batch = problems.subList(from, Math.min(problems.size(), from + options.batchSize()));
            List<List<Solver.Solution>> solved = solver.solve(batch, options.decoding(), options.maxNewTokens(),
                    options.seed() + from);
            if (solved.size() != batch.size()) {
                throw new IllegalStateException("solver returned " + solved.size() + " results for " + batch.size()
                        + " problems");
            }
            for (int i = 0; i < batch.size(); i++) {
                List<Solver.Solution> mine = solved.get(i);
                if (mine.size() != options.decoding().samples()) {
                    throw new IllegalStateException("solver returned " + mine.size() + " solutions for problem "
                            + batch.get(i).id() + ", expected " + options.decoding().samples());
                }
                for (Solver.Solution s : mine) {
                    Grade g = grader.grade(s.text(), batch.get(i).answer());
                    total = total.plus(g.correct(), s.length(), s.truncated());
                }
            }
            bar.update(from + batch.size(), total);
        }
        bar.done(total);
        return total;
    }

    /** A one-line progress bar redrawn with carriage returns; silent without a stream. */
    static final class ProgressBar {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final String label;
        private final int total;
        private final long startNs = System.nanoTime();

        ProgressBar(PrintStream out, String label, int total) {
            this.out = out;
            this.label = label;
            this.total = total;
        }

        void update(int done, EvalSummary s) {
            if (out == null) {
                return;
            }
            out.print("\r" + line(done, total, s, (System.nanoTime() - startNs) / 1e9));
            out.flush();
        }

        void done(EvalSummary s) {
            if (out == null) {
                return;
            }
            out.println("\r" + line(total, total, s, (System.nanoTime() - startNs) / 1e9));
            out.flush();
        }

        private String line(int done, int of, EvalSummary s, double seconds) {
            int filled = of == 0 ? WIDTH : (int) ((long) WIDTH * done / of);
            String eta = done == 0 || done >= of ? "" : String.format(Locale.ROOT, " eta %.0fs", seconds / done * (of - done));
            return String.format(Locale.ROOT, "%s [%s%s] %d/%d acc %.1f%% len %.0f %.0fs%s", label,
                    "#".repeat(filled), ".".repeat(WIDTH - filled), done, of, 100 * s.accuracy(), s.meanLength(),
                    seconds, eta);
        }
    }
}
