package org.o1pruner.toyworld;

import java.util.List;

/**
 * A right-padded batch of prompt + response token ids for next-token training, as plain arrays
 * (no native memory), so the packing is pure and testable.
 *
 * <p>{@code inputs[b][t]} is token t of row b for t &lt; T; {@code targets[b][t]} is token t+1;
 * {@code attention[b][t]} is 1 for a real input token; {@code lossMask[b][t]} is 1 where the
 * target is a response token (the end-of-sequence token included), so the loss scores exactly
 * the response given the prompt.
 *
 * @param inputs    {@code [B][T]} input ids (padding id past the end)
 * @param targets   {@code [B][T]} next-token ids (padding id past the end)
 * @param attention {@code [B][T]} 1 = token, 0 = padding
 * @param lossMask  {@code [B][T]} 1 = scored target
 * @param tokens    number of scored targets
 */
public record SftBatch(long[][] inputs, long[][] targets, int[][] attention, int[][] lossMask, int tokens) {

    /** Packs examples with the toy vocabulary (identical ids to the shipped tokenizer.json). */
    public static SftBatch of(List<ToyWorld.SftExample> examples) {
        ToyVocabulary vocab = ToyVocabulary.get();
        int n = examples.size();
        int[][] prompt = new int[n][];
        int[][] response = new int[n][];
        int width = 0;
        for (int b = 0; b < n; b++) {
            prompt[b] = vocab.encode(examples.get(b).prompt());
            response[b] = vocab.encode(examples.get(b).response());
            if (prompt[b].length == 0 || response[b].length == 0) {
                throw new IllegalArgumentException("an SFT example needs a prompt and a response");
            }
            width = Math.max(width, prompt[b].length + response[b].length - 1);
        }
        long[][] inputs = new long[n][width];
        long[][] targets = new long[n][width];
        int[][] attention = new int[n][width];
        int[][] loss = new int[n][width];
        int pad = vocab.padId();
        int scored = 0;
        for (int b = 0; b < n; b++) {
            int[] seq = new int[prompt[b].length + response[b].length];
            System.arraycopy(prompt[b], 0, seq, 0, prompt[b].length);
            System.arraycopy(response[b], 0, seq, prompt[b].length, response[b].length);
            java.util.Arrays.fill(inputs[b], pad);
            java.util.Arrays.fill(targets[b], pad);
            for (int t = 0; t < seq.length - 1; t++) {
                inputs[b][t] = seq[t];
                targets[b][t] = seq[t + 1];
                attention[b][t] = 1;
                if (t + 1 >= prompt[b].length) {
                    loss[b][t] = 1;
                    scored++;
                }
            }
        }
        return new SftBatch(inputs, targets, attention, loss, scored);
    }

    /** Rows. */
    public int batch() {
        return inputs.length;
    }

    /** Columns. */
    public int width() {
        return inputs.length == 0 ? 0 : inputs[0].length;
    }
}
