package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path modelDir(String name) throws IOException {
        Path dir = tmp.resolve(name);
        try (CausalLM m = CausalLM.random(ModelConfig.tiny(TestTokenizers.VOCAB, 32, 2), 11, Device.cpu())) {
            m.save(dir, Map.of());
        }
        TestTokenizers.write(dir);
        return dir;
    }

    /** Rewrites one field of the directory's tokenizer config ({@code null} removes it). */
    private static void setConfig(Path dir, String field, String value) throws IOException {
        Path cfg = dir.resolve("tokenizer_config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(cfg.toFile());
        if (value == null) {
            root.remove(field);
        } else {
            root.put(field, value);
        }
        Files.write(cfg, JSON.writeValueAsBytes(root));
    }

    private static PromptFormat formatOf(Path dir) {
        try (Tokenizer t = Tokenizer.load(dir)) {
            return LoadedModel.promptFormat(dir, t);
        }
    }

    @Test
    void loadsWeightsTokenizerAndTheFormatTheChatTemplateImplies() throws IOException {
        Path dir = modelDir("m");
        try (LoadedModel m = LoadedModel.load(dir, Device.cpu())) {
            assertEquals(TestTokenizers.VOCAB, m.model().config().vocabSize());
            assertEquals(PromptFormat.Style.CHATML, m.format().style());
            assertTrue(m.format().render("1+1", PromptFormat.Speed.NORMAL).startsWith("<|im_start|>system\n"));
            assertEquals(TestTokenizers.IM_END, m.tokenizer().eosTokenId().getAsInt());
        }
    }

    @Test
    void aNamedFormatWinsOverTheChatTemplate() throws IOException {
        Path dir = modelDir("named");
        setConfig(dir, LoadedModel.PROMPT_FORMAT_FIELD, "chatml-no-system");
        assertTrue(formatOf(dir).render("1+1", PromptFormat.Speed.NORMAL).startsWith("<|im_start|>user\n"));
        setConfig(dir, LoadedModel.PROMPT_FORMAT_FIELD, "plain");
        assertEquals(PromptFormat.Style.PLAIN, formatOf(dir).style());
        setConfig(dir, LoadedModel.PROMPT_FORMAT_FIELD, "llama3");
        assertEquals(PromptFormat.Style.LLAMA3, formatOf(dir).style());
    }

    @Test
    void unknownFormatsAreCheckpointErrorsAndLeaveNothingOpen() throws IOException {
        Path dir = modelDir("bad");
        setConfig(dir, LoadedModel.PROMPT_FORMAT_FIELD, "vicuna");
        CheckpointException e = assertThrows(CheckpointException.class, () -> LoadedModel.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("vicuna") && e.getMessage().contains(LoadedModel.PROMPT_FORMAT_FIELD),
                e.getMessage());

        setConfig(dir, LoadedModel.PROMPT_FORMAT_FIELD, null);
        setConfig(dir, "chat_template", "{{ '### Human: ' + message }}");
        e = assertThrows(CheckpointException.class, () -> formatOf(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());

        setConfig(dir, "chat_template", null);
        assertEquals(PromptFormat.Style.PLAIN, formatOf(dir).style());
    }
}
