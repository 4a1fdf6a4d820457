package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.o1pruner.model.PromptFormat;
import org.o1pruner.model.Tokenizer;

/** The toy prompt and tokenizer as the engine sees them: its PromptFormat and Tokenizer. */
class ToyPromptTest {

    @Test
    void toyPromptIsTheEnginesChatMlWithoutSystemTurn() {
        PromptFormat chatMl = PromptFormat.chatMl(null);
        for (ToyProblem p : ToyWorld.standard().problems(Split.TEST).subList(0, 50)) {
            assertEquals(chatMl.render(p.problem(), PromptFormat.Speed.NORMAL), ToyPrompt.render(p, Variant.LONG));
            assertEquals(chatMl.render(p.problem(), PromptFormat.Speed.FAST), ToyPrompt.render(p, Variant.FAST));
        }
        assertEquals(PromptFormat.Speed.FAST.suffix(), ToyPrompt.FAST_SUFFIX);
    }

    @Test
    void theEnginesTokenizerLoadsTheToyDirectory() {
        try (Tokenizer tok = Tokenizer.load(ToyWorld.standard().tokenizerDir())) {
            ToyVocabulary v = ToyVocabulary.get();
            assertEquals(v.eosId(), tok.eosTokenId().orElseThrow());
            assertEquals(v.padId(), tok.padTokenId().orElseThrow());
            SplittableRandom rng = new SplittableRandom(2);
            for (ToyProblem p : ToyWorld.standard().problems(Split.TRAIN).subList(0, 100)) {
                String text = ToyPrompt.render(p, Variant.LONG)
                        + ToyWorld.standard().trace(p, rng, Variant.LONG).text() + ToyVocabulary.IM_END;
                int[] ids = tok.encode(text);
                assertArrayEquals(v.encode(text), ids, text);
                assertEquals(text, tok.decode(ids, false));
            }
        }
    }
}
