package org.o1pruner.eval;

import java.util.List;
import org.o1pruner.eval.core.Decoding;

/**
 * Something that writes solutions to problems: in production an {@link EvalModel}; in tests,
 * anything that returns texts with lengths. The {@link Evaluator} grades what it returns.
 */
public interface Solver {

    /**
     * One written solution.
     *
     * @param text      the response text (prompt and end-of-sequence token excluded)
     * @param length    L(y): response tokens, EOS excluded
     * @param truncated whether the token limit cut it off
     */
    record Solution(String text, int length, boolean truncated) {}

    /**
     * Solves each problem {@code decoding.samples()} times.
     *
     * @param problems     one batch of problems
     * @param decoding     greedy or sampled, with or without the fast prompt
     * @param maxNewTokens the token limit per solution
     * @param seed         seed of this batch's sampling (same seed, same solutions)
     * @return per problem, in order, its {@code decoding.samples()} solutions
     */
    List<List<Solution>> solve(List<EvalProblem> problems, Decoding decoding, int maxNewTokens, long seed);
}
