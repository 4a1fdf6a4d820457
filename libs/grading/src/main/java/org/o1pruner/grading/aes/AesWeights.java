package org.o1pruner.grading.aes;

/**
 * The weights of the Accuracy-Efficiency Score: α on the relative length saving, β on a
 * relative accuracy gain and γ on a relative accuracy loss. The paper uses α=1, β=3, γ=5.
 *
 * @param alpha weight of ΔL, finite and ≥ 0
 * @param beta  weight of |ΔA| when accuracy did not fall (and, in {@link AesVariant#PAPER_TABLE},
 *              also when it fell), finite and ≥ 0
 * @param gamma weight of |ΔA| when accuracy fell ({@link AesVariant#FORMULA}), finite and ≥ 0
 */
public record AesWeights(double alpha, double beta, double gamma) {

    /** The paper's weights: α=1, β=3, γ=5. */
    public static final AesWeights PAPER = new AesWeights(1, 3, 5);

    public AesWeights {
        check(alpha, "alpha");
        check(beta, "beta");
        check(gamma, "gamma");
    }

    private static void check(double w, String name) {
        if (!Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException("AES weight " + name + " must be finite and >= 0, got " + w);
        }
    }
}
