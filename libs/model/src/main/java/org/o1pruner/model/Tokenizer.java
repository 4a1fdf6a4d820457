package org.o1pruner.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face tokenizer read offline from a model directory ({@code tokenizer.json}, plus
 * {@code tokenizer_config.json} for the special tokens and chat template).
 *
 * <p>Encoding never adds special tokens by itself: prompts are rendered in full by
 * {@link PromptFormat}, so the ids the sampler records are exactly the ids the trainer scores.
 */
public final class Tokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> specialIds;
    private final Integer eos;
    private final Integer pad;
    private final Integer bos;
    private final String chatTemplate;
    private final int vocabSize;

    private Tokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> specialIds, Integer eos,
            Integer pad, Integer bos, String chatTemplate, int vocabSize) {
        this.tokenizer = tokenizer;
        this.specialIds = Map.copyOf(specialIds);
        this.eos = eos;
        this.pad = pad;
        this.bos = bos;
        this.chatTemplate = chatTemplate;
        this.vocabSize = vocabSize;
    }

    /**
     * Loads {@code dir/tokenizer.json} and, when present, {@code dir/tokenizer_config.json}.
     *
     * @throws CheckpointException when {@code tokenizer.json} is missing or unreadable, or a
     *     special token named in the config is not in the vocabulary
     */
    public static Tokenizer load(Path dir) {
        Path json = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(json)) {
            throw new CheckpointException("model directory " + dir + ": missing file tokenizer.json");
        }
        Map<String, Integer> ids = new HashMap<>();
        int vocab;
        try {
            JsonNode root = JSON.readTree(json.toFile());
            int max = -1;
            for (JsonNode t : root.path("added_tokens")) {
                ids.put(t.path("content").asText(), t.path("id").asInt());
                max = Math.max(max, t.path("id").asInt());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("model").path("vocab").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ids.putIfAbsent(e.getKey(), e.getValue().asInt());
                max = Math.max(max, e.getValue().asInt());
            }
            vocab = max + 1;
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + json + ": " + e.getMessage(), e);
        }
        Integer eos = null;
        Integer pad = null;
        Integer bos = null;
        String template = null;
        Path configFile = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(configFile)) {
            try {
                JsonNode cfg = JSON.readTree(configFile.toFile());
                for (Iterator<Map.Entry<String, JsonNode>> it =
                        cfg.path("added_tokens_decoder").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    ids.putIfAbsent(e.getValue().path("content").asText(), Integer.parseInt(e.getKey()));
                }
                eos = special(cfg, "eos_token", ids, configFile);
                pad = special(cfg, "pad_token", ids, configFile);
                bos = special(cfg, "bos_token", ids, configFile);
                JsonNode t = cfg.get("chat_template");
                if (t != null && t.isTextual()) {
                    template = t.asText();
                } else if (t != null && t.isArray()) {
                    for (JsonNode named : t) {
                        if ("default".equals(named.path("name").asText())) {
                            template = named.path("template").asText();
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new CheckpointException("cannot read " + configFile + ": " + e.getMessage(), e);
            }
        }
        Path jinja = dir.resolve("chat_template.jinja");
        if (template == null && Files.isRegularFile(jinja)) {
            try {
                template = Files.readString(jinja);
            } catch (IOException e) {
                throw new CheckpointException("cannot read " + jinja + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("truncation", "false");
        options.put("padding", "false");
        options.put("maxLength", "1000000");
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(json, options);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot load " + json + ": " + e.getMessage(), e);
        }
        return new Tokenizer(hf, ids, eos, pad, bos, template, vocab);
    }

    private static Integer special(JsonNode cfg, String key, Map<String, Integer> ids, Path file) {
        JsonNode n = cfg.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        String content = n.isTextual() ? n.asText() : n.path("content").asText();
        Integer id = ids.get(content);
        if (id == null) {
            throw new CheckpointException(file + ": " + key + " " + content
                    + " is not in the vocabulary");
        }
        return id;
    }

    /** Token ids of {@code text}; no special tokens are added. */
    public int[] encode(String text) {
        Encoding enc = tokenizer.encode(text, false, false);
        long[] ids = enc.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Text of {@code ids}, optionally dropping special tokens (EOS, chat markers). */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    /** The id of a token given by its exact content (added/special tokens and vocabulary). */
    public OptionalInt tokenId(String token) {
        Integer id = specialIds.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The end-of-sequence id from {@code tokenizer_config.json}, if it names one. */
    public OptionalInt eosTokenId() {
        return eos == null ? OptionalInt.empty() : OptionalInt.of(eos);
    }

    /** The padding id from {@code tokenizer_config.json}, if it names one. */
    public OptionalInt padTokenId() {
        return pad == null ? OptionalInt.empty() : OptionalInt.of(pad);
    }

    /** The beginning-of-sequence id from {@code tokenizer_config.json}, if it names one. */
    public OptionalInt bosTokenId() {
        return bos == null ? OptionalInt.empty() : OptionalInt.of(bos);
    }

    /** The Jinja chat template the model ships, if any. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** One more than the largest token id the tokenizer knows. */
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
