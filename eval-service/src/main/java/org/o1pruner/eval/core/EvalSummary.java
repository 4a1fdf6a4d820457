package org.o1pruner.eval.core;

import org.o1pruner.grading.aes.Aes;
import org.o1pruner.grading.aes.AesWeights;
import org.o1pruner.grading.aes.Wilson;

/**
 * What one model did on one data set with one decoding: counts only, from which accuracy, its
 * 95 % interval and the mean length follow. Immutable; {@link #plus} merges partial results.
 *
 * @param n           solutions graded (problems × samples per problem), ≥ 0
 * @param correct     of them correct, 0 ≤ correct ≤ n
 * @param totalLength sum of L(y) over the n solutions, tokens (EOS excluded), ≥ 0
 * @param truncated   of them cut by the token limit (never reached an end), 0 ≤ truncated ≤ n
 */
public record EvalSummary(int n, int correct, long totalLength, int truncated) {

    /** Nothing graded yet. */
    public static final EvalSummary EMPTY = new EvalSummary(0, 0, 0, 0);

    public EvalSummary {
        if (n < 0 || correct < 0 || correct > n || truncated < 0 || truncated > n || totalLength < 0) {
            throw new IllegalArgumentException("inconsistent counts: n=" + n + " correct=" + correct
                    + " truncated=" + truncated + " totalLength=" + totalLength);
        }
    }

    /** A summary from the accuracy and mean length stored in an {@code evals} record. */
    public static EvalSummary of(int n, int correct, double meanLength) {
        return new EvalSummary(n, correct, Math.round(meanLength * n), 0);
    }

    /** This plus one more graded solution of {@code length} tokens. */
    public EvalSummary plus(boolean isCorrect, int length, boolean wasTruncated) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        return new EvalSummary(n + 1, correct + (isCorrect ? 1 : 0), totalLength + length,
                truncated + (wasTruncated ? 1 : 0));
    }

    /** The counts of both. */
    public EvalSummary plus(EvalSummary other) {
        return new EvalSummary(n + other.n, correct + other.correct, totalLength + other.totalLength,
                truncated + other.truncated);
    }

    /** correct / n, 0 when nothing was graded. */
    public double accuracy() {
        return n == 0 ? 0 : (double) correct / n;
    }

    /** Mean L(y) in tokens, 0 when nothing was graded. */
    public double meanLength() {
        return n == 0 ? 0 : (double) totalLength / n;
    }

    /** The Wilson 95 % interval of the accuracy. */
    public Wilson.Interval accuracy95() {
        return Wilson.interval95(correct, n);
    }

    /** ΔL, ΔA and both AES variants of this summary against {@code baseline}. */
    public Aes.Scores against(EvalSummary baseline, AesWeights weights) {
        return Aes.scores(baseline.accuracy(), baseline.meanLength(), accuracy(), meanLength(), weights);
    }
}
