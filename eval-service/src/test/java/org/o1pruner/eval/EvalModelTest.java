package org.o1pruner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.eval.core.Decoding;
import org.o1pruner.eval.core.EvalSummary;
import org.o1pruner.grading.Grader;
import org.o1pruner.toyworld.Split;

/** The evaluator on real (tiny, random) engine models with the toy tokenizer. */
class EvalModelTest {
    private static final EvalDataset TOY = EvalDataset.toy(Split.TEST).limit(4);

    @TempDir
    static Path tmp;
    static Path random;
    static Path terse;

    @BeforeAll
    static void models() {
        org.o1pruner.model.GradMode.setIntraOpThreads(1);
        random = ToyModels.write(tmp.resolve("random"), 7, false);
        terse = ToyModels.write(tmp.resolve("terse"), 7, true);
    }

    private static EvalSummary run(Path dir, Evaluator.Options o) {
        try (EvalModel m = EvalModel.load(dir, Device.cpu(), 4)) {
            return new Evaluator(Grader.defaults(), o).evaluate(m, TOY);
        }
    }

    @Test
    void greedyIsDeterministicAndRespectsTheTokenLimit() {
        Evaluator.Options o = Evaluator.Options.greedy(8, 4);
        EvalSummary a = run(random, o);
        EvalSummary b = run(random, o);
        assertEquals(a, b);
        assertEquals(4, a.n());
        assertTrue(a.meanLength() <= 8, "mean length " + a.meanLength());
        assertTrue(a.truncated() > 0, "a random model rarely ends by itself");
    }

    @Test
    void theTerseModelEndsEveryAnswerAtOnce() {
        EvalSummary s = run(terse, Evaluator.Options.greedy(10, 4));
        assertEquals(4, s.n());
        assertEquals(0, s.meanLength());
        assertEquals(0, s.truncated());
        assertEquals(0, s.correct());
    }

    @Test
    void samplingDrawsSeveralSolutionsPerProblemReproducibly() {
        Evaluator.Options o = new Evaluator.Options(Decoding.sampled(2, 1.0, 1.0), 5, 4, 11, null);
        EvalSummary a = run(random, o);
        assertEquals(8, a.n());
        assertEquals(a, run(random, o));
    }

    @Test
    void progressBarGoesToTheGivenStream() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run(terse, Evaluator.Options.greedy(4, 4).withProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("toy_test greedy"), out);
        assertTrue(out.contains("4/4"), out);
    }
}
