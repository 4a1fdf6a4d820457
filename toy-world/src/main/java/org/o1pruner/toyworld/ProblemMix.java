package org.o1pruner.toyworld;

/**
 * How the problem generator mixes problems: operand counts, how often two-digit operands and a
 * leading product appear, how often a step subtracts, and the target share of each difficulty
 * bucket. The defaults keep most problems one-digit, which a tiny model can learn on a CPU
 * (DESIGN.md §5), while still giving every bucket thousands of problems.
 *
 * @param minOperands          smallest number of terms in a chain
 * @param maxOperands          largest number of terms in a chain
 * @param twoDigitProblemShare share of problems that use two-digit operands at all
 * @param twoDigitOperandShare within those, the chance that each operand has two digits
 * @param productShare         share of problems whose first term is a single-digit product
 * @param minusShare           chance that a step subtracts (when the running value allows it)
 * @param easyShare            target share of easy problems (no hard step)
 * @param mediumShare          target share of medium problems (one hard step); hard takes the rest
 */
public record ProblemMix(int minOperands, int maxOperands, double twoDigitProblemShare,
                         double twoDigitOperandShare, double productShare, double minusShare,
                         double easyShare, double mediumShare) {

    /** The committed mix used for the shipped splits. */
    public static final ProblemMix DEFAULT = new ProblemMix(3, 5, 0.2, 0.5, 0.15, 0.4, 0.4, 0.3);

    public ProblemMix {
        if (minOperands < 2 || maxOperands < minOperands || maxOperands > 8) {
            throw new IllegalArgumentException("operand counts must satisfy 2 <= min <= max <= 8, got "
                    + minOperands + ".." + maxOperands);
        }
        for (double p : new double[] {twoDigitProblemShare, twoDigitOperandShare, productShare, minusShare,
            easyShare, mediumShare}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("shares must lie in [0, 1], got " + p);
            }
        }
        if (easyShare + mediumShare > 1) {
            throw new IllegalArgumentException("easyShare + mediumShare must be <= 1");
        }
    }
}
