package org.o1pruner.toyworld;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Writes long-thought solutions of toy problems.
 *
 * <p>A trace opens with a verbose left-to-right first pass that shows each step's units column
 * and states its carry or borrow; a slip on a hard step drops that carry or borrow, a slip on an
 * easy step puts the units digit off by one, and later steps continue from the slipped value.
 * Long traces then make zero or more compact re-checks, each along a {@link Route} that differs
 * from the first pass. A re-check that agrees says so; one that disagrees says the held value is
 * wrong and the trace continues from the re-check's value, which is then always the exact answer
 * (a re-check can only slip in a way that reproduces the held value: it may fail to catch an
 * error, never invent one). The trace ends with {@code So the answer is \boxed{v}.}
 */
public final class TraceGenerator {

    private static final int MAX_REDRAWS = 200;

    private final WorldParams params;

    public TraceGenerator(WorldParams params) {
        this.params = params;
    }

    /** The settings it writes with. */
    public WorldParams params() {
        return params;
    }

    /** Writes one trace of {@code problem} for {@code variant}, drawing every choice from {@code rng}. */
    public Trace generate(ToyProblem problem, RandomGenerator rng, Variant variant) {
        List<Term> terms = problem.terms();
        StringBuilder text = new StringBuilder();
        int[] slips = new int[1];
        long held = firstPass(terms, rng, text, slips);
        long firstPassValue = held;
        List<Trace.Check> checks = new ArrayList<>();
        if (variant == Variant.LONG) {
            int n = params.drawRechecks(problem.difficulty(), rng.nextDouble());
            List<Route> routes = Route.available(terms);
            if (routes.isEmpty() && n > 0) {
                throw new IllegalArgumentException("no re-check route differs from the first pass for "
                        + problem.problem());
            }
            int start = routes.isEmpty() ? 0 : rng.nextInt(routes.size());
            for (int j = 0; j < n; j++) {
                Route route = routes.get((start + j) % routes.size());
                Trace.Check check = recheck(terms, route, held, problem.answerValue(), rng, text);
                checks.add(check);
                held = check.value();
            }
        }
        text.append(" So the answer is \\boxed{").append(held).append("}.");
        return new Trace(variant, text.toString(), firstPassValue, slips[0], checks, held);
    }

    private long firstPass(List<Term> terms, RandomGenerator rng, StringBuilder text, int[] slips) {
        Term first = terms.get(0);
        long x;
        List<Term> rest = terms.subList(1, terms.size());
        if (first.isProduct()) {
            int a = first.a();
            int b = first.b();
            boolean hard = Arithmetic.hardProduct(a, b);
            x = (long) a * b;
            if (slip(rng, hard ? params.hardStepError() : params.easyStepError())
                    && Arithmetic.staysNonNegative((long) a * (b - 1), rest)) {
                x = (long) a * (b - 1);
                slips[0]++;
            }
            text.append("Start with ").append(a).append('×').append(b).append('=').append(x).append('.');
        } else {
            x = first.a();
            text.append("Start with ").append(x).append('.');
        }
        for (int i = 1; i < terms.size(); i++) {
            Term t = terms.get(i);
            List<Term> after = terms.subList(i + 1, terms.size());
            long m = t.magnitude();
            int xu = (int) Math.floorMod(x, 10);
            int mu = (int) (m % 10);
            long exact = x + t.signedValue();
            long result = exact;
            String units;
            String carry = "";
            if (!t.minus()) {
                int s = xu + mu;
                if (s >= 10) {
                    carry = ", carry 1";
                    if (slip(rng, params.hardStepError()) && Arithmetic.staysNonNegative(exact - 10, after)) {
                        carry = "";
                        result = exact - 10;
                        slips[0]++;
                    }
                    units = xu + "+" + mu + "=" + s;
                } else {
                    int shown = s;
                    if (slip(rng, params.easyStepError())) {
                        shown = offByOne(s, rng);
                        if (Arithmetic.staysNonNegative(exact + shown - s, after)) {
                            result = exact + shown - s;
                            slips[0]++;
                        } else {
                            shown = s;
                        }
                    }
                    units = xu + "+" + mu + "=" + shown;
                }
                text.append(" Add ");
            } else {
                if (xu < mu) {
                    int d = xu + 10 - mu;
                    carry = ", borrow 1";
                    if (slip(rng, params.hardStepError()) && Arithmetic.staysNonNegative(exact + 10, after)) {
                        carry = "";
                        result = exact + 10;
                        slips[0]++;
                    }
                    units = (xu + 10) + "-" + mu + "=" + d;
                } else {
                    int d = xu - mu;
                    int shown = d;
                    if (slip(rng, params.easyStepError())) {
                        shown = offByOne(d, rng);
                        if (Arithmetic.staysNonNegative(exact + shown - d, after)) {
                            result = exact + shown - d;
                            slips[0]++;
                        } else {
                            shown = d;
                        }
                    }
                    units = xu + "-" + mu + "=" + shown;
                }
                text.append(" Subtract ");
            }
            text.append(m).append(": units ").append(units).append(carry).append(", so ").append(result).append('.');
            x = result;
        }
        return x;
    }

    /**
     * Draws a re-check along {@code route}; redraws while it would disagree with {@code held}
     * without being exact (a re-check never invents an error) and falls back to a slip-free one.
     */
    private Trace.Check recheck(List<Term> terms, Route route, long held, long exact, RandomGenerator rng,
                                StringBuilder text) {
        for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
            StringBuilder line = new StringBuilder();
            int[] slips = new int[1];
            long v = walk(terms, route, rng, true, line, slips);
            if (v >= 0 && (v == held || v == exact)) {
                return emit(route, held, v, slips[0], line, text);
            }
        }
        StringBuilder line = new StringBuilder();
        long v = walk(terms, route, rng, false, line, new int[1]);
        return emit(route, held, v, 0, line, text);
    }

    private static Trace.Check emit(Route route, long held, long v, int slips, StringBuilder line,
                                    StringBuilder text) {
        text.append(route.intro()).append(line).append('.');
        boolean agreed = v == held;
        if (agreed) {
            text.append(" Same.");
        } else {
            text.append(" Not ").append(held).append(", so ").append(v).append('.');
        }
        return new Trace.Check(route, v, agreed, slips);
    }

    /** Writes the compact pairwise steps of a route; returns its value, or -1 if a slip went negative. */
    private long walk(List<Term> terms, Route route, RandomGenerator rng, boolean maySlip, StringBuilder line,
                      int[] slips) {
        List<Integer> order = route.order(terms);
        long[] values = new long[terms.size()];
        String sep = " ";
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            values[i] = t.magnitude();
            if (t.isProduct()) {
                long p = (long) t.a() * t.b();
                boolean hard = Arithmetic.hardProduct(t.a(), t.b());
                if (maySlip && slip(rng, hard ? params.recheckHardError() : params.recheckEasyError())) {
                    p = (long) t.b() * (t.a() - 1);
                    slips[0]++;
                }
                line.append(sep).append(t.b()).append('×').append(t.a()).append('=').append(p);
                sep = ", ";
                values[i] = p;
            }
        }
        long v = values[order.get(0)];
        for (int j = 1; j < order.size(); j++) {
            Term t = terms.get(order.get(j));
            long w = values[order.get(j)];
            boolean hard = t.minus() ? Arithmetic.borrows(v, w) : Arithmetic.carries(v, w);
            long r = t.minus() ? v - w : v + w;
            if (maySlip && slip(rng, hard ? params.recheckHardError() : params.recheckEasyError())) {
                r += hard ? (t.minus() ? 10 : -10) : (rng.nextBoolean() ? 1 : -1);
                slips[0]++;
            }
            line.append(sep).append(v).append(t.minus() ? '-' : '+').append(w).append('=').append(r);
            sep = ", ";
            if (r < 0) {
                return -1;
            }
            v = r;
        }
        return v;
    }

    private static boolean slip(RandomGenerator rng, double p) {
        return rng.nextDouble() < p;
    }

    private static int offByOne(int digit, RandomGenerator rng) {
        if (digit == 0) {
            return 1;
        }
        if (digit == 9) {
            return 8;
        }
        return rng.nextBoolean() ? digit + 1 : digit - 1;
    }
}
