package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped tokenizer.json, loaded through DJL's Hugging Face tokenizers like a real model's. */
class ToyTokenizerTest {

    private static HuggingFaceTokenizer hf;
    private static final ToyVocabulary VOCAB = ToyVocabulary.get();

    @BeforeAll
    static void load() throws Exception {
        Path dir = ToyWorld.standard().tokenizerDir();
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        hf = HuggingFaceTokenizer.builder().optTokenizerPath(dir).optAddSpecialTokens(false).build();
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    private static int[] hfIds(String text) {
        Encoding e = hf.encode(text, false, false);
        return Arrays.stream(e.getIds()).mapToInt(Math::toIntExact).toArray();
    }

    private static String hfDecode(int[] ids) {
        return hf.decode(Arrays.stream(ids).mapToLong(i -> i).toArray(), false);
    }

    @Test
    void promptsAndTracesRoundTripExactlyWithoutUnknowns() {
        ToyWorld world = ToyWorld.standard();
        SplittableRandom rng = new SplittableRandom(1);
        int unk = VOCAB.unkId();
        int checked = 0;
        for (Split s : Split.values()) {
            for (ToyProblem p : world.problems(s).subList(0, 400)) {
                for (Variant v : Variant.values()) {
                    String text = world.prompt(p, v) + world.trace(p, rng, v).text() + ToyVocabulary.IM_END;
                    int[] ids = hfIds(text);
                    assertArrayEquals(VOCAB.encode(text), ids, text);
                    assertTrue(Arrays.stream(ids).noneMatch(i -> i == unk), () -> "unknown token in " + text);
                    assertEquals(text, hfDecode(ids));
                    assertEquals(text, VOCAB.decode(ids));
                    checked++;
                }
            }
        }
        assertTrue(checked >= 1600);
    }

    @Test
    void digitsAreSingleTokensAndSpecialsAreAtomic() {
        String text = "<|im_start|>user\n 1234+56=1290<|im_end|>";
        assertEquals(java.util.List.of("<|im_start|>", "user", "\n", " 1", "2", "3", "4", "+", "5", "6", "=", "1",
                "2", "9", "0", "<|im_end|>"), VOCAB.pieces(text));
        assertArrayEquals(VOCAB.encode(text), hfIds(text));
        assertEquals(VOCAB.eosId(), hfIds(ToyVocabulary.IM_END)[0]);
    }

    @Test
    void thePapersSystemPromptTokenizesWithoutUnknowns() {
        String system = "You are a helpful assistant. You should think step-by-step and put your final answer "
                + "within \\boxed{}.";
        int[] ids = hfIds(system);
        assertTrue(Arrays.stream(ids).noneMatch(i -> i == VOCAB.unkId()), system);
        assertEquals(system, hfDecode(ids));
    }

    @Test
    void outOfVocabularyTextBecomesUnknownTheSameWayInBoth() {
        String text = "Solve über 7";
        assertArrayEquals(VOCAB.encode(text), hfIds(text));
        assertTrue(Arrays.stream(hfIds(text)).anyMatch(i -> i == VOCAB.unkId()));
    }

    @Test
    void vocabularyIsSmall() {
        assertTrue(VOCAB.size() < 200, "toy vocabulary has " + VOCAB.size() + " tokens");
    }
}
