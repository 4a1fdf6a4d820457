package org.o1pruner.toyworld.analysis;

import java.util.Collection;
import org.o1pruner.grading.aes.Wilson;

/**
 * Accuracy and length of a set of solutions, with the Wilson 95 % interval of the accuracy
 * (which treats the solutions as independent trials; several samples of one problem are not, so
 * the interval is somewhat narrow where they are pooled).
 *
 * @param solutions  how many
 * @param correct    how many are correct
 * @param finished   how many ended on their own
 * @param meanTokens mean length in tokens (0 when empty)
 */
public record Tally(long solutions, long correct, long finished, double meanTokens) {

    public Tally {
        if (solutions < 0 || correct < 0 || correct > solutions || finished < 0 || finished > solutions) {
            throw new IllegalArgumentException("need 0 <= correct, finished <= solutions, got " + correct + ", "
                    + finished + " of " + solutions);
        }
    }

    /** Counts a collection of solutions. */
    public static Tally of(Collection<Solution> solutions) {
        long correct = 0;
        long finished = 0;
        long tokens = 0;
        for (Solution s : solutions) {
            correct += s.correct() ? 1 : 0;
            finished += s.finished() ? 1 : 0;
            tokens += s.tokens();
        }
        int n = solutions.size();
        return new Tally(n, correct, finished, n == 0 ? 0 : (double) tokens / n);
    }

    /** Share correct (0 when empty). */
    public double accuracy() {
        return solutions == 0 ? 0 : (double) correct / solutions;
    }

    /** Wilson 95 % interval of {@link #accuracy()}. */
    public Wilson.Interval accuracy95() {
        return Wilson.interval95(correct, solutions);
    }
}
