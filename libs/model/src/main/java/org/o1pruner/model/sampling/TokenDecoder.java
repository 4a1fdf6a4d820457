package org.o1pruner.model.sampling;

/** Turns token ids into text (e.g. {@code Tokenizer::decode}); needed for stop strings and texts. */
@FunctionalInterface
public interface TokenDecoder {
    String decode(int[] tokens);
}
