package org.o1pruner.toyworld;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The toy world's small vocabulary and the Hugging Face {@code tokenizer.json} that encodes it.
 *
 * <p>Every digit is its own token (with or without one leading space), as is every word of the
 * trace and prompt language (likewise), each symbol, the newline and the chat specials. The
 * tokenizer is a WordLevel model behind a {@code Split} pre-tokenizer with one regular
 * expression, and a {@code Fuse} decoder, so decoding reproduces the text exactly. This class
 * also implements the same split in Java ({@link #encode}, {@link #decode}), which the tests
 * hold equal to the Hugging Face tokenizer and which the reward simulation uses to count tokens
 * without native code.
 */
public final class ToyVocabulary {

    /** Padding token (id 0). */
    public static final String PAD = "<|endoftext|>";
    /** Opens a chat turn. */
    public static final String IM_START = "<|im_start|>";
    /** Closes a chat turn; the end-of-sequence token of responses. */
    public static final String IM_END = "<|im_end|>";
    /** Stands for text outside the vocabulary. */
    public static final String UNK = "<unk>";

    /** The pre-tokenizer's expression; each match is one token, anything unmatched is isolated too. */
    public static final String PIECE_REGEX = " ?\\d| ?\\\\boxed\\{| ?[A-Za-z]+|\\n| ?[^\\sA-Za-z\\d]| ";

    private static final List<String> SPECIALS = List.of(PAD, IM_START, IM_END, UNK);

    private static final List<String> WORDS = List.of(
            // the trace language
            "Start", "with", "Add", "Subtract", "units", "carry", "borrow", "so", "Check", "backward", "regrouped",
            "Same", "Not", "So", "the", "answer", "is",
            // the prompt and the paper's fast-solving suffix
            "user", "assistant", "system", "Solve", "problem", "Be", "confident", "Solving", "this", "quickly",
            "less", "pause", "stop", "or", "reflection",
            // the paper's system prompt, so the engine's ChatML format also tokenizes without unknowns
            "You", "are", "a", "helpful", "should", "think", "step", "by", "and", "put", "your", "final",
            "within");

    private static final List<String> SYMBOLS = List.of(
            "+", "-", "×", "=", ":", ".", ",", "{", "}", "(", ")", "!", "?", "'", "/", "*", "$", "\\");

    private static final Pattern PIECE = Pattern.compile(PIECE_REGEX);

    private static final ToyVocabulary INSTANCE = new ToyVocabulary();

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private ToyVocabulary() {
        List<String> t = new ArrayList<>(SPECIALS);
        for (int d = 0; d <= 9; d++) {
            t.add(Integer.toString(d));
        }
        for (int d = 0; d <= 9; d++) {
            t.add(" " + d);
        }
        for (String s : SYMBOLS) {
            t.add(s);
            t.add(" " + s);
        }
        t.add("\\boxed{");
        t.add(" \\boxed{");
        t.add("\n");
        t.add(" ");
        for (String w : WORDS) {
            t.add(w);
            t.add(" " + w);
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : t) {
            if (m.putIfAbsent(s, m.size()) != null) {
                throw new IllegalStateException("duplicate token " + s);
            }
        }
        this.tokens = Collections.unmodifiableList(t);
        this.ids = Collections.unmodifiableMap(m);
    }

    /** The vocabulary. */
    public static ToyVocabulary get() {
        return INSTANCE;
    }

    /** Tokens by id. */
    public List<String> tokens() {
        return tokens;
    }

    /** Number of tokens. */
    public int size() {
        return tokens.size();
    }

    /** Id of a token. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("not in the toy vocabulary: '" + token + "'");
        }
        return id;
    }

    /** Id of the padding token. */
    public int padId() {
        return id(PAD);
    }

    /** Id of the end-of-sequence token. */
    public int eosId() {
        return id(IM_END);
    }

    /** Id of the unknown token. */
    public int unkId() {
        return id(UNK);
    }

    /** Splits text into token strings exactly as the Hugging Face tokenizer does. */
    public List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int next = text.length();
            String special = null;
            for (String s : SPECIALS) {
                int at = text.indexOf(s, i);
                if (at >= 0 && at < next) {
                    next = at;
                    special = s;
                }
            }
            splitPlain(text.substring(i, next), out);
            if (special == null) {
                break;
            }
            out.add(special);
            i = next + special.length();
        }
        return out;
    }

    private static void splitPlain(String text, List<String> out) {
        Matcher m = PIECE.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start()));
            }
            out.add(m.group());
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
    }

    /** Token ids of a text; pieces outside the vocabulary become {@link #UNK}. */
    public int[] encode(String text) {
        List<String> pieces = pieces(text);
        int[] out = new int[pieces.size()];
        int unk = unkId();
        for (int k = 0; k < out.length; k++) {
            out[k] = ids.getOrDefault(pieces.get(k), unk);
        }
        return out;
    }

    /** Number of tokens a text encodes to. */
    public int count(String text) {
        return pieces(text).size();
    }

    /** Concatenates the tokens of {@code ids} (the {@code Fuse} decoder). */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id < 0 || id >= tokens.size()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + tokens.size());
            }
            sb.append(tokens.get(id));
        }
        return sb.toString();
    }

    /** The Hugging Face {@code tokenizer.json} text (pretty-printed, stable). */
    public String tokenizerJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIALS) {
            ObjectNode a = added.addObject();
            a.put("id", id(s));
            a.put("content", s);
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Split");
        pre.putObject("pattern").put("Regex", PIECE_REGEX);
        pre.put("behavior", "Isolated");
        pre.put("invert", false);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int k = 0; k < tokens.size(); k++) {
            vocab.put(tokens.get(k), k);
        }
        model.put("unk_token", UNK);
        return write(json, root);
    }

    /** The Hugging Face {@code tokenizer_config.json} text naming the special tokens and the chat template. */
    public String tokenizerConfigJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.putNull("bos_token");
        root.put("eos_token", IM_END);
        root.put("pad_token", PAD);
        root.put("unk_token", UNK);
        root.put("add_bos_token", false);
        root.put("model_max_length", ToyPrompt.MAX_LENGTH);
        root.put("chat_template", ToyPrompt.CHAT_TEMPLATE);
        root.put("o1p_prompt_format", ToyPrompt.FORMAT_NAME);
        return write(json, root);
    }

    private static String write(ObjectMapper json, ObjectNode root) {
        try {
            return json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write tokenizer JSON", e);
        }
    }
}
