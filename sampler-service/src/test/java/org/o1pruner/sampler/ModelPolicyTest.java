package org.o1pruner.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.schema.FinishReason;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.toyworld.ToyPrompt;
import org.o1pruner.toyworld.ToyVocabulary;
import org.o1pruner.toyworld.Variant;

class ModelPolicyTest {
    @TempDir
    static Path tmp;
    static ModelPolicy policy;

    @BeforeAll
    static void load() {
        policy = ModelPolicy.load(ToyModels.writeRandom(tmp.resolve("m"), 7), 3, Device.cpu());
    }

    @AfterAll
    static void close() {
        if (policy != null) {
            policy.close();
        }
    }

    private static PromptRecord prompt(String id, String problem, String variant) {
        return new PromptRecord(id, "toy_train", "train", problem, "0", 4, 0, 3, variant, 0);
    }

    @Test
    void promptsUseTheToyWorldsFormat() {
        assertEquals(PromptFormat.Style.CHATML, policy.format().style());
        int[] ids = policy.promptTokens(prompt("a", "12+7", PromptRecord.VARIANT_DEFAULT));
        assertArrayEquals(ToyVocabulary.get().encode(ToyPrompt.render("12+7", Variant.LONG)), ids);
        int[] fast = policy.promptTokens(prompt("a", "12+7", PromptRecord.VARIANT_FAST));
        assertArrayEquals(ToyVocabulary.get().encode(ToyPrompt.render("12+7", Variant.FAST)), fast);
        assertEquals(3, policy.version());
    }

    @Test
    void recordedLogProbsAreTheUnmodifiedOnesAScorerRecomputes() {
        List<int[]> prompts = List.of(policy.promptTokens(prompt("a", "3+4", "default")),
                policy.promptTokens(prompt("b", "47+38-19+6", "default")),
                policy.promptTokens(prompt("c", "5*6-2", "fast")));
        SamplingSettings s = new SamplingSettings(0.7, 0.8, 20, 24, List.of("1", "+"), 11);
        List<Completion> out = policy.generate(prompts, s, 11);
        assertEquals(3, out.size());
        boolean someStoppedEarly = false;
        for (int i = 0; i < 3; i++) {
            Completion c = out.get(i);
            assertTrue(c.tokens().length >= 1 && c.tokens().length <= 24);
            assertEquals(c.tokens().length == 24 && c.finishReason() == FinishReason.LENGTH
                    || c.finishReason() != FinishReason.LENGTH, true);
            someStoppedEarly |= c.tokens().length < 24;
            float[] again = ToyModels.rescore(policy.model(), prompts.get(i), c.tokens());
            for (int t = 0; t < again.length; t++) {
                assertEquals(again[t], c.logProbs()[t], 2e-4, "row " + i + " token " + t);
                assertTrue(c.logProbs()[t] <= 0);
            }
        }
        assertTrue(someStoppedEarly, "stop strings end rows at different times (exercises keepRows)");
    }

    @Test
    void greedyIsDeterministicAndSeedsReproduce() {
        List<int[]> prompts = List.of(policy.promptTokens(prompt("a", "9-3", "default")));
        SamplingSettings greedy = new SamplingSettings(0, 1, 0, 12, List.of(), 0);
        assertArrayEquals(policy.generate(prompts, greedy, 1).get(0).tokens(),
                policy.generate(prompts, greedy, 2).get(0).tokens());
        SamplingSettings hot = new SamplingSettings(1.5, 1, 0, 16, List.of(), 0);
        List<int[]> four = List.of(prompts.get(0), prompts.get(0), prompts.get(0), prompts.get(0));
        List<Completion> x = policy.generate(four, hot, 5);
        List<Completion> y = policy.generate(four, hot, 5);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(x.get(i).tokens(), y.get(i).tokens());
        }
        assertFalse(java.util.Arrays.equals(x.get(0).tokens(), x.get(1).tokens())
                && java.util.Arrays.equals(x.get(1).tokens(), x.get(2).tokens()), "rows draw independently");
        assertNotEquals(List.of(), x.get(0).text());
    }

    @Test
    void tooLongPromptsAreRefused() {
        String huge = "1+".repeat(400) + "1";
        assertThrows(IllegalArgumentException.class, () -> policy.promptTokens(prompt("z", huge, "default")));
    }
}
