package org.o1pruner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Prompt + response pairs laid out for teacher-forced scoring: prompts left-padded so that every
 * prompt ends in the same column, responses right-padded after it.
 *
 * <p>With this layout the logits that predict response tokens are one contiguous slice for the
 * whole batch, so the output head runs only over response positions. Positions follow the
 * attention mask, so each row is scored as if it stood alone.
 */
public final class ScoringBatch implements AutoCloseable {

    private final NDArray inputIds;
    private final NDArray attentionMask;
    private final NDArray targets;
    private final NDArray responseMask;
    private final int[] responseLengths;
    private final int promptWidth;
    private final int responseWidth;

    private ScoringBatch(NDArray inputIds, NDArray attentionMask, NDArray targets,
            NDArray responseMask, int[] responseLengths, int promptWidth, int responseWidth) {
        this.inputIds = inputIds;
        this.attentionMask = attentionMask;
        this.targets = targets;
        this.responseMask = responseMask;
        this.responseLengths = responseLengths;
        this.promptWidth = promptWidth;
        this.responseWidth = responseWidth;
    }

    /**
     * Builds a batch in {@code manager}.
     *
     * @param prompts prompt token ids, each non-empty
     * @param responses response token ids (all scored, a final EOS included), each non-empty
     * @param padId the id written into padding (never attended to)
     */
    public static ScoringBatch of(List<int[]> prompts, List<int[]> responses, int padId,
            NDManager manager) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one ("
                    + prompts.size() + " vs " + responses.size() + ")");
        }
        int b = prompts.size();
        int p = 0;
        int r = 0;
        for (int i = 0; i < b; i++) {
            if (prompts.get(i).length == 0 || responses.get(i).length == 0) {
                throw new IllegalArgumentException("row " + i + ": prompt and response must be"
                        + " non-empty");
            }
            p = Math.max(p, prompts.get(i).length);
            r = Math.max(r, responses.get(i).length);
        }
        int t = p + r - 1; // the last response token is only a target, never an input
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] tgt = new long[b * r];
        float[] rmask = new float[b * r];
        int[] lengths = new int[b];
        java.util.Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            int[] prompt = prompts.get(i);
            int[] resp = responses.get(i);
            int off = p - prompt.length;
            for (int j = 0; j < prompt.length; j++) {
                ids[i * t + off + j] = prompt[j];
                mask[i * t + off + j] = 1;
            }
            for (int j = 0; j < resp.length; j++) {
                if (p + j < t) {
                    ids[i * t + p + j] = resp[j];
                    mask[i * t + p + j] = 1;
                }
                tgt[i * r + j] = resp[j];
                rmask[i * r + j] = 1f;
            }
            for (int j = resp.length; j < r; j++) {
                tgt[i * r + j] = padId;
            }
            lengths[i] = resp.length;
        }
        NDArray idArray = manager.create(ids, new Shape(b, t));
        NDArray maskArray = manager.create(mask, new Shape(b, t));
        NDArray tgtArray = manager.create(tgt, new Shape(b, r, 1));
        NDArray rmaskArray = manager.create(rmask, new Shape(b, r));
        return new ScoringBatch(idArray, maskArray, tgtArray, rmaskArray, lengths, p, r);
    }

    /** {@code [B, P + R - 1]} int64 inputs. */
    public NDArray inputIds() {
        return inputIds;
    }

    /** {@code [B, P + R - 1]} int64 attention mask. */
    public NDArray attentionMask() {
        return attentionMask;
    }

    /** {@code [B, R, 1]} int64 response tokens to score. */
    public NDArray targets() {
        return targets;
    }

    /** {@code [B, R]} float32: 1 for a response token, 0 for padding. */
    public NDArray responseMask() {
        return responseMask;
    }

    /** Number of scored tokens per row. */
    public int[] responseLengths() {
        return responseLengths.clone();
    }

    /** Rows in the batch. */
    public int size() {
        return responseLengths.length;
    }

    /** P: the width of the left-padded prompt block. */
    public int promptWidth() {
        return promptWidth;
    }

    /** R: the width of the right-padded response block. */
    public int responseWidth() {
        return responseWidth;
    }

    @Override
    public void close() {
        inputIds.close();
        attentionMask.close();
        targets.close();
        responseMask.close();
    }
}
