package org.o1pruner.trainer.core;

import java.util.List;

/**
 * Prompt + response sequences laid out for one teacher-forced forward pass. Prompts are
 * left-padded to a common width P and responses right-padded to a common width T, so every
 * response starts at column P and the logits that predict response token j of every row sit at
 * column {@code P − 1 + j}: one slice serves the whole batch. Positions come from the attention
 * mask, so padding does not shift them.
 *
 * @param inputIds {@code [B, P + T]} token ids (padding uses {@code padId})
 * @param attentionMask {@code [B, P + T]} 1 for a real token, 0 for padding
 * @param targets {@code [B, T]} response token ids (padding 0)
 * @param responseMask {@code [B, T]} 1 for a real response token, 0 for padding
 * @param promptWidth P
 * @param responseWidth T
 */
public record PackedBatch(long[][] inputIds, long[][] attentionMask, long[][] targets, float[][] responseMask,
        int promptWidth, int responseWidth) {

    /**
     * Packs rows.
     *
     * @throws IllegalArgumentException when the lists differ in size, are empty, or a prompt or a
     *     response has no tokens
     */
    public static PackedBatch pack(List<int[]> prompts, List<int[]> responses, int padId) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one: "
                    + prompts.size() + " vs " + responses.size());
        }
        int b = prompts.size();
        int p = 0;
        int t = 0;
        for (int i = 0; i < b; i++) {
            if (prompts.get(i).length == 0 || responses.get(i).length == 0) {
                throw new IllegalArgumentException("row " + i + " has an empty prompt or response");
            }
            p = Math.max(p, prompts.get(i).length);
            t = Math.max(t, responses.get(i).length);
        }
        long[][] ids = new long[b][p + t];
        long[][] mask = new long[b][p + t];
        long[][] targets = new long[b][t];
        float[][] rmask = new float[b][t];
        for (int i = 0; i < b; i++) {
            int[] pr = prompts.get(i);
            int[] re = responses.get(i);
            int start = p - pr.length;
            java.util.Arrays.fill(ids[i], padId);
            for (int j = 0; j < pr.length; j++) {
                ids[i][start + j] = pr[j];
                mask[i][start + j] = 1;
            }
            for (int j = 0; j < re.length; j++) {
                ids[i][p + j] = re[j];
                mask[i][p + j] = 1;
                targets[i][j] = re[j];
                rmask[i][j] = 1f;
            }
        }
        return new PackedBatch(ids, mask, targets, rmask, p, t);
    }

    /** Rows B. */
    public int rows() {
        return inputIds.length;
    }
}
