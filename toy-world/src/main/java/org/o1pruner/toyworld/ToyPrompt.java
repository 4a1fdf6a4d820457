package org.o1pruner.toyworld;

/**
 * The toy world's prompt: ChatML without a system turn (the toy model needs no persona), the
 * paper's user template {@code Solve the problem: {problem}{speed}} and, for the fast variant,
 * the paper's fast-solving suffix. Responses end with {@link ToyVocabulary#IM_END}.
 */
public final class ToyPrompt {

    /** Name under which {@code tokenizer_config.json} records this format. */
    public static final String FORMAT_NAME = "chatml-no-system";

    /** The paper's fast-solving suffix. */
    public static final String FAST_SUFFIX =
            "\nBe confident. Solving this problem quickly with less pause, stop or reflection.";

    /** Largest prompt plus response the toy model is built for, in tokens. */
    public static final int MAX_LENGTH = 512;

    /** The Jinja chat template written to {@code tokenizer_config.json} (renders the same text). */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}{{ '<|im_start|>' + message['role'] "
            + "+ '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private ToyPrompt() {
    }

    /** The prompt text for a problem, ending where the assistant's response begins. */
    public static String render(String problem, Variant variant) {
        String speed = variant == Variant.FAST ? FAST_SUFFIX : "";
        return ToyVocabulary.IM_START + "user\nSolve the problem: " + problem + speed + ToyVocabulary.IM_END + "\n"
                + ToyVocabulary.IM_START + "assistant\n";
    }

    /** The prompt text for a toy problem. */
    public static String render(ToyProblem problem, Variant variant) {
        return render(problem.problem(), variant);
    }
}
