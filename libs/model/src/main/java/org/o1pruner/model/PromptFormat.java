package org.o1pruner.model;

import java.util.List;
import java.util.Objects;

/**
 * Renders a problem into the exact prompt text the model sees: the paper's system prompt, the
 * user turn {@code "Solve the problem: {problem}{speed}"} and the opening of the assistant turn,
 * in the chat markup the model was trained with.
 *
 * <p>The markup is chosen from the model's chat template (ChatML for Qwen2 models, the Llama 3
 * header format, the DeepSeek-R1 distills' format) or is a plain template for models without one,
 * such as the toy world's.
 */
public final class PromptFormat {

    /** The official implementation's system prompt (Marco-o1 runs). */
    public static final String SYSTEM_PROMPT = "You are a helpful assistant. You should think"
            + " step-by-step and put your final answer within \\boxed{}.";
    /** The user-turn prefix of the official implementation. */
    public static final String USER_PREFIX = "Solve the problem: ";

    /** How quickly the prompt asks the model to solve (the fast-solving baseline). */
    public enum Speed {
        /** No instruction about speed. */
        NORMAL(""),
        /** The paper's fast-solving prompt suffix. */
        FAST("\nBe confident. Solving this problem quickly with less pause, stop or reflection."),
        /** The harsher variant of the official code. */
        VERY_FAST("\nThis is an easy problem. Please solve it quickly without any pause, check or"
                + " reflection.");

        private final String suffix;

        Speed(String suffix) {
            this.suffix = suffix;
        }

        /** The text appended to the problem. */
        public String suffix() {
            return suffix;
        }
    }

    /** The markup family. */
    public enum Style {
        /** {@code <|im_start|>role\n...<|im_end|>\n} (Qwen2, Marco-o1, QwQ, R1 distills). */
        CHATML,
        /** {@code <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>} (Llama 3). */
        LLAMA3,
        /** The DeepSeek-R1 distills' {@code <｜User｜>...<｜Assistant｜>} markup. */
        DEEPSEEK_R1,
        /** A plain text template with {@code {system}} and {@code {user}} placeholders. */
        PLAIN
    }

    /** The default plain template: the user turn, then a new line where the answer starts. */
    public static final String DEFAULT_PLAIN_TEMPLATE = "{user}\n";

    private final Style style;
    private final String systemPrompt;
    private final String plainTemplate;
    private final boolean openThink;

    private PromptFormat(Style style, String systemPrompt, String plainTemplate) {
        this(style, systemPrompt, plainTemplate, false);
    }

    private PromptFormat(Style style, String systemPrompt, String plainTemplate, boolean openThink) {
        this.style = Objects.requireNonNull(style);
        this.systemPrompt = systemPrompt;
        this.plainTemplate = plainTemplate;
        this.openThink = openThink;
    }

    /**
     * The DeepSeek-R1 distill markup with a given system prompt ({@code null}: none).
     *
     * @param openThink whether the assistant turn starts with {@code <think>\n}, as newer
     *     versions of those templates do
     */
    public static PromptFormat deepSeekR1(String systemPrompt, boolean openThink) {
        return new PromptFormat(Style.DEEPSEEK_R1, systemPrompt, null, openThink);
    }

    /** ChatML with the paper's system prompt. */
    public static PromptFormat chatMl() {
        return new PromptFormat(Style.CHATML, SYSTEM_PROMPT, null);
    }

    /** ChatML with a given system prompt ({@code null}: no system turn). */
    public static PromptFormat chatMl(String systemPrompt) {
        return new PromptFormat(Style.CHATML, systemPrompt, null);
    }

    /** The Llama 3 header format with the paper's system prompt. */
    public static PromptFormat llama3() {
        return new PromptFormat(Style.LLAMA3, SYSTEM_PROMPT, null);
    }

    /** The Llama 3 header format with a given system prompt ({@code null}: no system turn). */
    public static PromptFormat llama3(String systemPrompt) {
        return new PromptFormat(Style.LLAMA3, systemPrompt, null);
    }

    /**
     * A plain template; {@code {user}} is replaced by the user turn and {@code {system}} by the
     * system prompt.
     */
    public static PromptFormat plain(String template, String systemPrompt) {
        if (!template.contains("{user}")) {
            throw new IllegalArgumentException("a plain template needs a {user} placeholder");
        }
        return new PromptFormat(Style.PLAIN, systemPrompt, template);
    }

    /** The plain default {@value #DEFAULT_PLAIN_TEMPLATE} with no system prompt. */
    public static PromptFormat plain() {
        return plain(DEFAULT_PLAIN_TEMPLATE, null);
    }

    /**
     * The format a tokenizer's chat template implies: ChatML or Llama 3 when the template uses
     * their markers, plain when there is no template.
     *
     * @throws IllegalArgumentException when the template is of an unknown family
     */
    public static PromptFormat forTokenizer(Tokenizer tokenizer) {
        return forChatTemplate(tokenizer.chatTemplate().orElse(null));
    }

    /** As {@link #forTokenizer(Tokenizer)}, from the template text ({@code null}: plain). */
    public static PromptFormat forChatTemplate(String template) {
        if (template == null || template.isBlank()) {
            return plain();
        }
        if (template.contains("<|im_start|>")) {
            return chatMl();
        }
        if (template.contains("<|start_header_id|>")) {
            return llama3();
        }
        if (template.contains("<｜User｜>")) {
            return deepSeekR1(SYSTEM_PROMPT, template.contains("<｜Assistant｜><think>"));
        }
        throw new IllegalArgumentException("unrecognized chat template (not ChatML, Llama 3 or"
                + " DeepSeek-R1); choose a PromptFormat explicitly");
    }

    /** The markup family. */
    public Style style() {
        return style;
    }

    /** The user turn: {@code "Solve the problem: " + problem + speed suffix}. */
    public static String userMessage(String problem, Speed speed) {
        return USER_PREFIX + problem + speed.suffix();
    }

    /** The complete prompt, ending where the assistant's answer begins. */
    public String render(String problem, Speed speed) {
        String user = userMessage(problem, speed);
        StringBuilder sb = new StringBuilder();
        switch (style) {
            case CHATML -> {
                if (systemPrompt != null) {
                    sb.append("<|im_start|>system\n").append(systemPrompt).append("<|im_end|>\n");
                }
                sb.append("<|im_start|>user\n").append(user).append("<|im_end|>\n");
                sb.append("<|im_start|>assistant\n");
            }
            case LLAMA3 -> {
                sb.append("<|begin_of_text|>");
                if (systemPrompt != null) {
                    sb.append("<|start_header_id|>system<|end_header_id|>\n\n").append(systemPrompt)
                            .append("<|eot_id|>");
                }
                sb.append("<|start_header_id|>user<|end_header_id|>\n\n").append(user)
                        .append("<|eot_id|>");
                sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            case DEEPSEEK_R1 -> {
                sb.append("<｜begin▁of▁sentence｜>");
                if (systemPrompt != null) {
                    sb.append(systemPrompt);
                }
                sb.append("<｜User｜>").append(user).append("<｜Assistant｜>");
                if (openThink) {
                    sb.append("<think>\n");
                }
            }
            case PLAIN -> sb.append(plainTemplate
                    .replace("{system}", systemPrompt == null ? "" : systemPrompt)
                    .replace("{user}", user));
            default -> throw new IllegalStateException(style.toString());
        }
        return sb.toString();
    }

    /** Strings that end the assistant turn in this markup (usable as sampler stop strings). */
    public List<String> stopStrings() {
        return switch (style) {
            case CHATML -> List.of("<|im_end|>");
            case LLAMA3 -> List.of("<|eot_id|>");
            case DEEPSEEK_R1 -> List.of("<｜end▁of▁sentence｜>");
            case PLAIN -> List.of();
        };
    }
}
