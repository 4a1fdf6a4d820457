package org.o1pruner.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o1pruner.model.CausalLM;
import org.o1pruner.model.GradMode;
import org.o1pruner.model.ModelConfig;
import org.o1pruner.model.Scorer;

/**
 * What every decoding backend must do; {@link GeneratorJavaTest} and {@link GeneratorLibtorchTest}
 * run it against each.
 */
abstract class GeneratorContract {
    private static final int VOCAB = 48;
    private static CausalLM model;

    /** Letters for tokens, so stop strings can be tested without a tokenizer. */
    private static final TokenDecoder LETTERS = tokens -> {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append((char) ('a' + t % 26));
        }
        return sb.toString();
    };

    @BeforeAll
    static void load() {
        ai.djl.engine.Engine.getEngine("PyTorch");
        GradMode.setIntraOpThreads(1); // tiny ops: a second thread only waits, and stalls when cores are busy
        model = CausalLM.random(ModelConfig.tiny(VOCAB, 32, 2), 17, Device.cpu());
    }

    /** The backend under test. */
    abstract DecodeBackend backend();

    Generator generator(Set<Integer> eos, int pad, TokenDecoder decoder, int maxBatch) {
        Generator g = new Generator(model, eos, pad, decoder, maxBatch).withBackend(backend());
        assertEquals(backend(), g.effectiveBackend());
        return g;
    }

    @Test
    void aFrozenGeneratorSamplesLikeAFreshOne() {
        SamplingParams p = new SamplingParams(0.9, 0.95, 0, 9, List.of(), 5);
        Generator fresh = generator(Set.of(VOCAB - 1), 0, LETTERS, 4);
        Generator frozen = fresh.withFrozenModel();
        List<Generation> a = fresh.generate(prompts(), p);
        assertEquals(a, frozen.generate(prompts(), p));
        assertEquals(a, frozen.generate(prompts(), p), "the second call reuses the snapshot");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<int[]> prompts() {
        return List.of(new int[] {1, 2, 3}, new int[] {5}, new int[] {7, 8, 9, 10, 11}, new int[] {4, 4},
                new int[] {12, 13, 14, 15}, new int[] {20, 21});
    }

    @Test
    void sameSeedSameSamplesOtherSeedOtherSamples() {
        Generator g = generator(Set.of(VOCAB - 1), 0, LETTERS, 4);
        SamplingParams p = new SamplingParams(1.0, 0.95, 0, 12, List.of(), 123);
        List<Generation> a = g.generate(prompts(), p);
        List<Generation> b = g.generate(prompts(), p);
        assertEquals(a, b);
        List<Generation> c = g.generate(prompts(), p.withSeed(124));
        assertNotEquals(a, c);
    }

    @Test
    void samplesDoNotDependOnBatchingOrOnOtherPrompts() {
        SamplingParams p = new SamplingParams(0.8, 0.9, 20, 10, List.of(), 99);
        List<Generation> batched = generator(Set.of(VOCAB - 1), 0, LETTERS, 16).generate(prompts(), p);
        List<Generation> single = generator(Set.of(VOCAB - 1), 0, LETTERS, 1).generate(prompts(), p);
        for (int i = 0; i < batched.size(); i++) {
            assertArrayEquals(single.get(i).tokens(), batched.get(i).tokens(), "prompt " + i);
            assertArrayEquals(single.get(i).logProbs(), batched.get(i).logProbs(), 1e-4f, "prompt " + i);
        }
    }

    @Test
    void greedyFollowsTheArgmaxOfAFullForwardWithoutCache() {
        Generator g = generator(Set.of(), 0, null, 8);
        List<Generation> out = g.generate(prompts(), SamplingParams.greedy(8));
        try (GradMode.Scope off = GradMode.disabled(); NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < out.size(); i++) {
                int[] prompt = prompts().get(i);
                int[] tokens = out.get(i).tokens();
                assertEquals(8, tokens.length);
                assertEquals(FinishReason.LENGTH, out.get(i).finishReason());
                long[] seq = new long[prompt.length + tokens.length];
                for (int t = 0; t < prompt.length; t++) {
                    seq[t] = prompt[t];
                }
                for (int t = 0; t < tokens.length; t++) {
                    seq[prompt.length + t] = tokens[t];
                }
                long[] ones = new long[seq.length];
                java.util.Arrays.fill(ones, 1);
                NDArray logits = model.forward(m.create(seq, new Shape(1, seq.length)), m.create(ones, new Shape(1, seq.length)), null);
                float[] all = logits.toFloatArray();
                for (int t = 0; t < tokens.length; t++) {
                    int pos = prompt.length - 1 + t;
                    assertEquals(TokenSampler.argmax(all, pos * VOCAB, VOCAB), tokens[t], "prompt " + i + " token " + t);
                }
            }
        }
    }

    @Test
    void recordedLogProbsEqualTheScorers() {
        // temperature and top-p change what is drawn, never what is recorded
        SamplingParams p = new SamplingParams(0.7, 0.8, 0, 10, List.of(), 5);
        List<Generation> out = generator(Set.of(VOCAB - 1), 0, null, 4).generate(prompts(), p);
        List<int[]> responses = new ArrayList<>();
        out.forEach(g -> responses.add(g.tokens()));
        float[][] scored = new Scorer(model).tokenLogProbsNoGrad(prompts(), responses, 0);
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(scored[i], out.get(i).logProbs(), 1e-4f, "prompt " + i);
            for (float lp : out.get(i).logProbs()) {
                assertTrue(lp <= 0);
            }
        }
    }

    @Test
    void finishedRowsLeaveTheBatchWithTheirReason() {
        // with a third of the vocabulary as EOS, most rows end early, at different steps
        Set<Integer> eos = new java.util.HashSet<>();
        for (int t = 0; t < VOCAB; t += 3) {
            eos.add(t);
        }
        Generator g = generator(eos, 1, LETTERS, 8);
        List<Generation> out = g.generate(prompts(), SamplingParams.sampled(30, 3));
        int eosCount = 0;
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (Generation gen : out) {
            int last = gen.tokens()[gen.tokens().length - 1];
            if (gen.finishReason() == FinishReason.EOS) {
                eosCount++;
                assertTrue(eos.contains(last));
                assertEquals(gen.tokens().length - 1, gen.length());
                assertEquals(gen.tokens().length - 1, gen.text().length(), "text excludes the EOS");
            } else {
                assertEquals(FinishReason.LENGTH, gen.finishReason());
                assertEquals(30, gen.tokens().length);
            }
            for (int t = 0; t < gen.tokens().length - 1; t++) {
                assertTrue(!eos.contains(gen.tokens()[t]), "a token after EOS");
            }
            lengths.add(gen.tokens().length);
        }
        assertTrue(eosCount >= 4, "expected most rows to hit EOS, got " + eosCount);
        assertTrue(lengths.size() >= 2, "rows should finish at different steps");
        // dropping finished rows does not disturb the others: each row equals its prompt run alone
        Generator single = generator(eos, 1, LETTERS, 1);
        List<Generation> alone = single.generate(prompts(), SamplingParams.sampled(30, 3));
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(alone.get(i).tokens(), out.get(i).tokens(), "prompt " + i);
        }
    }

    @Test
    void stopStringsEndTheSampleAndTheText() {
        Generator g = generator(Set.of(), 0, LETTERS, 8);
        SamplingParams p = SamplingParams.sampled(40, 11).withStopStrings(List.of("e", "k"));
        for (Generation gen : g.generate(prompts(), p)) {
            if (gen.finishReason() == FinishReason.STOP_STRING) {
                assertTrue(gen.text().endsWith("e") || gen.text().endsWith("k"), gen.text());
                assertEquals(1, gen.text().chars().filter(c -> c == 'e' || c == 'k').count(), gen.text());
            } else {
                assertEquals(FinishReason.LENGTH, gen.finishReason());
                assertTrue(!gen.text().contains("e") && !gen.text().contains("k"));
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> generator(Set.of(), 0, null, 8).generate(prompts(), p));
    }

    @Test
    void rejectsBadPromptsAndLeavesGradientModeAsItWas() {
        Generator g = generator(Set.of(), 0, null, 8);
        assertThrows(IllegalArgumentException.class, () -> g.generate(List.of(new int[0]), SamplingParams.greedy(3)));
        assertThrows(IllegalArgumentException.class, () -> g.generate(List.of(new int[] {VOCAB}), SamplingParams.greedy(3)));
        assertThrows(IllegalArgumentException.class, () -> g.generate(List.of(new int[] {1}), SamplingParams.greedy(1000)));
        try (GradMode.Scope on = GradMode.enabled()) {
            g.generate(List.of(new int[] {1}), SamplingParams.greedy(2));
            assertTrue(GradMode.isEnabled());
        }
    }
}
