package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static CausalLM model;

    @BeforeAll
    static void load() {
        model = TestModels.perturbed(TestModels.qwenGqa(), 21);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** log softmax of one sequence's logits, in double, straight from the full forward pass. */
    private static double[] reference(int[] prompt, int[] response) {
        int v = model.config().vocabSize();
        long[] seq = new long[prompt.length + response.length];
        for (int i = 0; i < prompt.length; i++) seq[i] = prompt[i];
        for (int i = 0; i < response.length; i++) seq[prompt.length + i] = response[i];
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled()) {
            float[] logits = model.forward(nd.create(new long[][] {seq}),
                    TestModels.ones(nd, 1, seq.length), null).toFloatArray();
            double[] out = new double[response.length];
            for (int j = 0; j < response.length; j++) {
                int row = (prompt.length - 1 + j) * v;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) max = Math.max(max, logits[row + k]);
                double sum = 0;
                for (int k = 0; k < v; k++) sum += Math.exp(logits[row + k] - max);
                out[j] = logits[row + response[j]] - max - Math.log(sum);
            }
            return out;
        }
    }

    private static int[] tokens(Random rng, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rng.nextInt(model.config().vocabSize());
        return t;
    }

    @Test
    void batchedTokenLogProbsEqualThoseOfEachSequenceAlone() {
        Random rng = new Random(4);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        int[][] shapes = {{5, 3}, {1, 7}, {8, 1}, {3, 4}};
        for (int[] s : shapes) {
            prompts.add(tokens(rng, s[0]));
            responses.add(tokens(rng, s[1]));
        }
        Scorer scorer = new Scorer(model);
        float[][] got = scorer.tokenLogProbsNoGrad(prompts, responses, 0);
        // a tiny logits bound forces the output head to run in chunks of response positions
        float[][] chunked = new Scorer(model, 3L * shapes.length * model.config().vocabSize())
                .tokenLogProbsNoGrad(prompts, responses);
        for (int i = 0; i < shapes.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(got[i], chunked[i], 1e-6f);
        }
        for (int i = 0; i < shapes.length; i++) {
            double[] want = reference(prompts.get(i), responses.get(i));
            assertEquals(want.length, got[i].length);
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], got[i][j], 2e-5, "row " + i + " token " + j);
                assertTrue(got[i][j] <= 0);
            }
        }
        try (NDManager nd = NDManager.newBaseManager();
                GradMode.Scope g = GradMode.disabled();
                ScoringBatch batch = ScoringBatch.of(prompts, responses, 0, nd)) {
            float[] scores = scorer.sequenceScores(batch).toFloatArray();
            for (int i = 0; i < shapes.length; i++) {
                assertEquals(Scorer.sequenceScore(got[i]), scores[i], 1e-5);
            }
        }
    }

    @Test
    void scoresCarryGradientsWhenGradientModeIsOn() {
        Random rng = new Random(8);
        List<int[]> prompts = List.of(tokens(rng, 4), tokens(rng, 2));
        List<int[]> responses = List.of(tokens(rng, 3), tokens(rng, 5));
        try (CausalLM m = model.copy(model.device());
                NDManager nd = NDManager.newBaseManager()) {
            m.parameters().values().forEach(p -> p.setRequiresGradient(true));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    ScoringBatch batch = ScoringBatch.of(prompts, responses, 0, nd)) {
                NDArray scores = new Scorer(m).sequenceScores(batch);
                gc.backward(scores.sum());
                for (var e : m.parameters().entrySet()) {
                    float norm = e.getValue().getGradient().abs().sum().getFloat();
                    assertTrue(norm > 0, "no gradient reached " + e.getKey());
                }
            }
        }
    }

    @Test
    void emptyRowsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Scorer(model).tokenLogProbsNoGrad(List.of(new int[0]), List.of(new int[] {1}), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Scorer(model).tokenLogProbsNoGrad(List.of(new int[] {1}), List.of(new int[0]), 0));
    }

    @Property
    void theSequenceScoreIsTheMeanAndLiesBetweenTheExtremes(
            @ForAll @Size(min = 1, max = 50) List<@FloatRange(min = -30f, max = 0f) Float> lps) {
        float[] a = new float[lps.size()];
        double min = 0;
        double max = -30;
        for (int i = 0; i < a.length; i++) {
            a[i] = lps.get(i);
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        double s = Scorer.sequenceScore(a);
        assertTrue(s >= min - 1e-9 && s <= max + 1e-9);
        float[] doubled = new float[a.length * 2];
        System.arraycopy(a, 0, doubled, 0, a.length);
        System.arraycopy(a, 0, doubled, a.length, a.length);
        assertEquals(s, Scorer.sequenceScore(doubled), 1e-9, "length-normalised");
    }
}
