package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.Grader;

/** The evaluator's batching, grading and counting, with a scripted solver. */
class EvaluatorTest {
    private static final EvalDataset DATA = new EvalDataset("hand", List.of(
            new EvalProblem("a", "1+1", "2"),
            new EvalProblem("b", "2+2", "4"),
            new EvalProblem("c", "half of one", "\\frac{1}{2}"),
            new EvalProblem("d", "3*3", "9"),
            new EvalProblem("e", "10-1", "9")), 0);

    /** Answers right on even-indexed problems (in a different spelling), wrong on odd ones. */
    private static final class Scripted implements Solver {
        final List<Long> seeds = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public List<List<Solution>> solve(List<EvalProblem> problems, Decoding decoding, int maxNewTokens, long seed) {
            seeds.add(seed);
            batchSizes.add(problems.size());
            List<List<Solution>> out = new ArrayList<>();
            for (EvalProblem p : problems) {
                int i = p.id().charAt(0) - 'a';
                List<Solution> mine = new ArrayList<>();
                for (int s = 0; s < decoding.samples(); s++) {
                    String answer = i % 2 == 0 ? (p.answer().equals("\\frac{1}{2}") ? "0.5" : p.answer()) : "7";
                    mine.add(new Solution("Wait, let me think. The answer is \\boxed{" + answer + "}", 10 * (i + 1),
                            i == 4));
                }
                out.add(mine);
            }
            return out;
        }
    }

    @Test
    void gradesEverySolutionAndCountsLengths() {
        Scripted solver = new Scripted();
        EvalSummary s = new Evaluator(Grader.defaults(), Evaluator.Options.greedy(100, 2)).evaluate(solver, DATA);
        assertEquals(new EvalSummary(5, 3, 10 + 20 + 30 + 40 + 50, 1), s);
        assertEquals(List.of(2, 2, 1), solver.batchSizes);
        assertEquals(List.of(0L, 2L, 4L), solver.seeds, "batch seed = base seed + index of its first problem");
    }

    @Test
    void samplesMultiplyTheSolutionsGraded() {
        Evaluator.Options o = new Evaluator.Options(Decoding.sampled(4, 0.5, 0.8), 100, 3, 100, null);
        EvalSummary s = new Evaluator(Grader.defaults(), o).evaluate(new Scripted(), DATA);
        assertEquals(20, s.n());
        assertEquals(12, s.correct());
        assertEquals(4, s.truncated());
    }

    @Test
    void aSolverReturningTheWrongShapeIsAnError() {
        Solver broken = (problems, decoding, max, seed) -> List.of();
        assertThrows(IllegalStateException.class,
                () -> new Evaluator(Grader.defaults(), Evaluator.Options.greedy(10, 5)).evaluate(broken, DATA));
    }
}
