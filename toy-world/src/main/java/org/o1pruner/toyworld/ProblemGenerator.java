package org.o1pruner.toyworld;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded generator of arithmetic-chain problems. The same seed and mix always give the same
 * problems (it uses {@link SplittableRandom}, whose sequence is specified), and a split never
 * repeats an expression; the test split also avoids every expression of the training split so
 * held-out accuracy measures arithmetic, not memory. Every chain admits at least one re-check
 * {@link Route} that differs from its first pass.
 */
public final class ProblemGenerator {

    private static final int MAX_TRIES = 10_000;

    private final ProblemMix mix;

    public ProblemGenerator(ProblemMix mix) {
        this.mix = mix;
    }

    /** The problems of a split, generated from its fixed seed. */
    public List<ToyProblem> split(Split split) {
        Set<String> exclude = new HashSet<>();
        if (split == Split.TEST) {
            for (ToyProblem p : generate(Split.TRAIN.dataset(), Split.TRAIN.seed(), Split.TRAIN.size(), Set.of())) {
                exclude.add(p.problem());
            }
        }
        return generate(split.dataset(), split.seed(), split.size(), exclude);
    }

    /**
     * Generates {@code count} distinct problems named {@code <dataset>-00000} onwards.
     *
     * @param exclude expressions that must not appear (e.g. another split's)
     */
    public List<ToyProblem> generate(String dataset, long seed, int count, Set<String> exclude) {
        SplittableRandom rng = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>(exclude);
        List<ToyProblem> out = new ArrayList<>(count);
        int tries = 0;
        while (out.size() < count) {
            if (++tries > count * 100 + MAX_TRIES) {
                throw new IllegalStateException("could not find " + count + " distinct problems for " + dataset
                        + " with " + mix + "; widen the mix");
            }
            Difficulty target = targetBucket(rng);
            List<Term> terms = chainFor(rng, target);
            String expression = Arithmetic.expression(terms);
            if (seen.add(expression)) {
                String id = String.format(Locale.ROOT, "%s-%05d", dataset, out.size());
                out.add(ToyProblem.of(id, dataset, terms));
            }
        }
        return out;
    }

    private Difficulty targetBucket(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < mix.easyShare() ? Difficulty.EASY
                : u < mix.easyShare() + mix.mediumShare() ? Difficulty.MEDIUM : Difficulty.HARD;
    }

    /** Draws chains until one falls in the target bucket (the draw itself sets operands and digits). */
    private List<Term> chainFor(SplittableRandom rng, Difficulty target) {
        List<Term> last = null;
        for (int i = 0; i < MAX_TRIES; i++) {
            last = randomChain(rng);
            if (Difficulty.ofHardSteps(Arithmetic.hardSteps(last)) == target && !Route.available(last).isEmpty()) {
                return last;
            }
        }
        throw new IllegalStateException("no " + target + " chain with a re-check route in " + MAX_TRIES
                + " draws under " + mix);
    }

    private List<Term> randomChain(SplittableRandom rng) {
        int n = mix.minOperands() + rng.nextInt(mix.maxOperands() - mix.minOperands() + 1);
        boolean twoDigit = rng.nextDouble() < mix.twoDigitProblemShare();
        List<Term> terms = new ArrayList<>(n);
        if (rng.nextDouble() < mix.productShare()) {
            terms.add(Term.product(2 + rng.nextInt(8), 2 + rng.nextInt(8)));
        } else {
            terms.add(Term.plus(operand(rng, twoDigit)));
        }
        long x = terms.get(0).signedValue();
        boolean usedTwoDigits = terms.get(0).magnitude() >= 10 && !terms.get(0).isProduct();
        for (int i = 1; i < n; i++) {
            boolean forceTwo = twoDigit && !usedTwoDigits && i == n - 1;
            int m = forceTwo ? 10 + rng.nextInt(90) : operand(rng, twoDigit);
            usedTwoDigits |= m >= 10;
            boolean minus = m <= x && rng.nextDouble() < mix.minusShare();
            Term t = minus ? Term.minus(m) : Term.plus(m);
            terms.add(t);
            x += t.signedValue();
        }
        return terms;
    }

    private int operand(SplittableRandom rng, boolean twoDigit) {
        if (twoDigit && rng.nextDouble() < mix.twoDigitOperandShare()) {
            return 10 + rng.nextInt(90);
        }
        return 1 + rng.nextInt(9);
    }
}
