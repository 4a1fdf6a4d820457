package org.o1pruner.model.sampling;

/** Why a sample ended. */
public enum FinishReason {
    /** The model wrote an end-of-sequence token (the last token of the sample). */
    EOS("stop"),
    /** The decoded text reached one of the stop strings. */
    STOP_STRING("stop"),
    /** The token budget ran out. */
    LENGTH("length");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The OpenAI/vLLM-style name carried on the samples topic: {@code stop} or {@code length}. */
    public String wireName() {
        return wireName;
    }
}
