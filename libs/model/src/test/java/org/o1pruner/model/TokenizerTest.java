package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir Path dir;

    @Test
    void encodesBytesAndSpecialTokensAndDecodesExactly() throws IOException {
        TestTokenizers.write(dir);
        try (Tokenizer t = Tokenizer.load(dir)) {
            String text = "Solve: 47+38-19 = ? √2, 中文 \\boxed{66}\n";
            int[] ids = t.encode(text);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(utf8.length, ids.length, "one token per byte");
            for (int i = 0; i < ids.length; i++) {
                assertEquals(utf8[i] & 0xff, ids[i]);
            }
            assertEquals(text, t.decode(ids));
            int[] chat = t.encode("<|im_start|>user\nhi<|im_end|>");
            assertEquals(TestTokenizers.IM_START, chat[0]);
            assertEquals(TestTokenizers.IM_END, chat[chat.length - 1]);
            assertEquals("<|im_start|>user\nhi<|im_end|>", t.decode(chat));
            assertEquals("user\nhi", t.decode(chat, true));
            assertEquals(TestTokenizers.IM_END, t.eosTokenId().getAsInt());
            assertEquals(TestTokenizers.ENDOFTEXT, t.padTokenId().getAsInt());
            assertTrue(t.bosTokenId().isEmpty());
            assertEquals(TestTokenizers.VOCAB, t.vocabSize());
            assertEquals(PromptFormat.Style.CHATML, PromptFormat.forTokenizer(t).style());
        }
    }

    @Test
    void aMissingTokenizerIsAClearError() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void chatMlPromptsTokenizeWithSingleMarkerTokens() throws IOException {
        TestTokenizers.write(dir);
        String prompt = PromptFormat.chatMl().render("1+1", PromptFormat.Speed.NORMAL);
        try (Tokenizer t = Tokenizer.load(dir)) {
            int[] ids = t.encode(prompt);
            assertEquals(TestTokenizers.IM_START, ids[0]);
            assertEquals(prompt, t.decode(ids));
            assertArrayEquals(t.encode("\n"), new int[] {ids[ids.length - 1]});
        }
    }
}
