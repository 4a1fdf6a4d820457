package org.o1pruner.sampler;

import java.util.List;
import org.o1pruner.schema.PromptRecord;

/**
 * A loaded policy the sampler draws from: one model version with its tokenizer and prompt
 * format. The sampler's loop owns it on one thread and swaps it for a newer one between
 * batches; {@link #close()} releases its native memory.
 */
public interface Policy extends AutoCloseable {

    /** The checkpoint version of this policy (stamped on every sample it generates). */
    long version();

    /** The full templated prompt of a problem (its variant decides the fast-solving suffix), as token ids. */
    int[] promptTokens(PromptRecord prompt);

    /**
     * Generates one completion per prompt, in order, batched with a KV cache. Log-probs are
     * those of the unmodified distribution whatever the sampling settings.
     *
     * @param prompts token ids of each prompt (rows may differ in length)
     * @param seed    seed of this call's random draws
     */
    List<Completion> generate(List<int[]> prompts, SamplingSettings settings, long seed);

    @Override
    void close();
}
