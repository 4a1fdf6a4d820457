package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Hugging Face model directory loaded for generation: the engine's {@link CausalLM}, its
 * {@link Tokenizer}, and the {@link PromptFormat} the directory names or its chat template
 * implies. Closing it closes the model and the tokenizer; a caller that hands both on to an
 * owner of its own (a sampling policy, an evaluation model) closes it only if that hand-over
 * fails.
 *
 * <p>The sampler, the evaluator and the toy world's analysis load models the same way, so one
 * directory always renders the same prompts in all three.
 *
 * @param model the weights
 * @param tokenizer the directory's tokenizer
 * @param format how problems become prompt text
 */
public record LoadedModel(CausalLM model, Tokenizer tokenizer, PromptFormat format) implements AutoCloseable {

    /**
     * {@code tokenizer_config.json} field naming a prompt format explicitly ({@code chatml},
     * {@code chatml-no-system}, {@code llama3} or {@code plain}); the toy world writes it.
     */
    public static final String PROMPT_FORMAT_FIELD = "o1p_prompt_format";
    private static final ObjectMapper JSON = new ObjectMapper();

    public LoadedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(format, "format");
    }

    /**
     * Loads the tokenizer, the prompt format and the weights of {@code dir} (the engine verifies
     * the directory's manifest when it has one). Nothing stays open when this throws.
     *
     * @param device where to run; null picks the first GPU when there is one
     * @throws CheckpointException when the directory is unusable
     */
    public static LoadedModel load(Path dir, Device device) {
        Device d = device != null ? device : defaultDevice();
        Tokenizer tokenizer = Tokenizer.load(dir);
        CausalLM model = null;
        try {
            PromptFormat format = promptFormat(dir, tokenizer);
            model = CausalLM.load(dir, d);
            return new LoadedModel(model, tokenizer, format);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    /** The first GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /**
     * The prompt format a model directory names ({@value #PROMPT_FORMAT_FIELD} in its
     * {@code tokenizer_config.json}) or, when it names none, the one its chat template implies.
     *
     * @throws CheckpointException for an unknown format name, an unreadable config or a chat
     *     template of an unknown family
     */
    public static PromptFormat promptFormat(Path dir, Tokenizer tokenizer) {
        Path cfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            try {
                JsonNode named = JSON.readTree(cfg.toFile()).get(PROMPT_FORMAT_FIELD);
                if (named != null && named.isTextual()) {
                    return switch (named.asText()) {
                        case "chatml-no-system" -> PromptFormat.chatMl(null);
                        case "chatml" -> PromptFormat.chatMl();
                        case "llama3" -> PromptFormat.llama3();
                        case "plain" -> PromptFormat.plain();
                        default -> throw new CheckpointException(cfg + ": unknown " + PROMPT_FORMAT_FIELD + " '"
                                + named.asText() + "'");
                    };
                }
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + cfg + ": " + e.getMessage(), e);
            }
        }
        try {
            return PromptFormat.forTokenizer(tokenizer);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
