package org.o1pruner.grading.aes;

import java.util.Objects;

/**
 * The Accuracy-Efficiency Score of a model against a baseline (DESIGN.md §2), pure arithmetic.
 *
 * <p>{@code ΔL = (L_base − L) / L_base} is the relative length saving and
 * {@code ΔA = (Acc − Acc_base) / Acc_base} the relative accuracy change (relative, which is what
 * recomputing the paper's Table 2 confirms). Then
 * {@code AES = α·ΔL + β·|ΔA|} when {@code ΔA ≥ 0} and {@code α·ΔL − γ·|ΔA|} when {@code ΔA < 0}
 * ({@link AesVariant#FORMULA}); {@link AesVariant#PAPER_TABLE} adds {@code β·|ΔA|} in both cases.
 * The baseline against itself scores 0 in both variants.
 *
 * <p>Degenerate baselines, where the ratio is undefined, are handled so that the score stays
 * finite: a baseline of accuracy 0 makes ΔA the absolute change {@code Acc − Acc_base} (so a
 * model that solves anything scores a gain, and one that solves nothing scores 0); a baseline of
 * mean length 0 makes ΔL = 0. Accuracies may be given as fractions or as percentages as long as
 * both use the same unit (ΔA is a ratio), except in that accuracy-0 case, where fractions are
 * assumed.
 */
public final class Aes {
    private Aes() {}

    /**
     * The relative length saving ΔL.
     *
     * @param baseLength  mean length of the baseline (tokens), finite and ≥ 0
     * @param modelLength mean length of the model (tokens), finite and ≥ 0
     */
    public static double deltaLength(double baseLength, double modelLength) {
        nonNegative(baseLength, "baseLength");
        nonNegative(modelLength, "modelLength");
        if (baseLength == 0) {
            return 0;
        }
        return (baseLength - modelLength) / baseLength;
    }

    /**
     * The relative accuracy change ΔA.
     *
     * @param baseAccuracy  accuracy of the baseline, finite and ≥ 0
     * @param modelAccuracy accuracy of the model, finite and ≥ 0
     */
    public static double deltaAccuracy(double baseAccuracy, double modelAccuracy) {
        nonNegative(baseAccuracy, "baseAccuracy");
        nonNegative(modelAccuracy, "modelAccuracy");
        if (baseAccuracy == 0) {
            return modelAccuracy - baseAccuracy;
        }
        return (modelAccuracy - baseAccuracy) / baseAccuracy;
    }

    /**
     * The score from already computed ΔL and ΔA.
     *
     * @param deltaLength   ΔL, finite
     * @param deltaAccuracy ΔA, finite
     */
    public static double fromDeltas(double deltaLength, double deltaAccuracy, AesWeights w, AesVariant variant) {
        Objects.requireNonNull(w, "weights");
        Objects.requireNonNull(variant, "variant");
        if (!Double.isFinite(deltaLength) || !Double.isFinite(deltaAccuracy)) {
            throw new IllegalArgumentException("ΔL and ΔA must be finite, got " + deltaLength + ", " + deltaAccuracy);
        }
        double lengthTerm = w.alpha() * deltaLength;
        double size = Math.abs(deltaAccuracy);
        if (deltaAccuracy >= 0 || variant == AesVariant.PAPER_TABLE) {
            return lengthTerm + w.beta() * size;
        }
        return lengthTerm - w.gamma() * size;
    }

    /**
     * The score of a model against a baseline.
     *
     * @param baseAccuracy  baseline accuracy (fraction or percent, same unit as {@code modelAccuracy})
     * @param baseLength    baseline mean length, tokens
     * @param modelAccuracy model accuracy
     * @param modelLength   model mean length, tokens
     */
    public static double score(double baseAccuracy, double baseLength, double modelAccuracy, double modelLength,
                               AesWeights w, AesVariant variant) {
        return fromDeltas(deltaLength(baseLength, modelLength), deltaAccuracy(baseAccuracy, modelAccuracy), w, variant);
    }

    /** Both variants at once, with the deltas they came from. */
    public static Scores scores(double baseAccuracy, double baseLength, double modelAccuracy, double modelLength,
                                AesWeights w) {
        double dl = deltaLength(baseLength, modelLength);
        double da = deltaAccuracy(baseAccuracy, modelAccuracy);
        return new Scores(dl, da, fromDeltas(dl, da, w, AesVariant.FORMULA), fromDeltas(dl, da, w, AesVariant.PAPER_TABLE));
    }

    /**
     * The deltas and both AES variants of one comparison.
     *
     * @param deltaLength   ΔL, relative length saving (positive = shorter)
     * @param deltaAccuracy ΔA, relative accuracy change (positive = more accurate)
     * @param formula       AES as the paper's formula is written ({@link AesVariant#FORMULA})
     * @param paperTable    AES as the paper's table printed it ({@link AesVariant#PAPER_TABLE})
     */
    public record Scores(double deltaLength, double deltaAccuracy, double formula, double paperTable) {}

    private static void nonNegative(double v, String name) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }
}
