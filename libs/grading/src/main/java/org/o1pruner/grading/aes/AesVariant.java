package org.o1pruner.grading.aes;

/**
 * Which reading of the Accuracy-Efficiency Score to compute when accuracy fell.
 *
 * <p>The paper (O1-Pruner, §5) writes {@code AES = α·ΔL − γ·|ΔA|} for a fall in accuracy, but
 * the numbers its Table 2 prints for such rows are reproduced only by {@code α·ΔL + β·|ΔA|}
 * (DPO on Marco-o1 MATH: 71.8 % / 761 tokens against 73.8 % / 1156 gives 0.21 by the formula,
 * the table prints 0.42). Both are kept so that our results can be set beside the paper's.
 */
public enum AesVariant {
    /** The formula as written: a fall in accuracy costs γ·|ΔA|. The project's default. */
    FORMULA,
    /** What the paper's table computed: β·|ΔA| is added whatever the sign of ΔA. */
    PAPER_TABLE
}
