package org.o1pruner.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a byte-level BPE tokenizer without merges (one token per UTF-8 byte, ids 0..255) plus
 * the ChatML special tokens (256..258), in the Hugging Face {@code tokenizer.json} layout.
 */
final class TestTokenizers {

    static final int ENDOFTEXT = 256;
    static final int IM_START = 257;
    static final int IM_END = 258;
    static final int VOCAB = 259;

    private TestTokenizers() {}

    /** GPT-2's printable stand-in character for each byte. */
    static char[] byteChars() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) bs.add(b);
        for (int b = 0xA1; b <= 0xAC; b++) bs.add(b);
        for (int b = 0xAE; b <= 0xFF; b++) bs.add(b);
        char[] out = new char[256];
        for (int b : bs) out[b] = (char) b;
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                out[b] = (char) (256 + n++);
            }
        }
        return out;
    }

    static void write(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", 256 + i).put("content", specials[i]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", true);
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token")
                .putNull("continuing_subword_prefix").putNull("end_of_word_suffix")
                .put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] chars = byteChars();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(chars[b]), b);
        }
        model.putArray("merges");
        Files.write(dir.resolve("tokenizer.json"), json.writeValueAsBytes(root));

        ObjectNode cfg = json.createObjectNode();
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|endoftext|>");
        cfg.putNull("bos_token");
        cfg.put("chat_template", "{% for message in messages %}{{'<|im_start|>' + message['role']"
                + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
        Files.write(dir.resolve("tokenizer_config.json"), json.writeValueAsBytes(cfg));
    }
}
