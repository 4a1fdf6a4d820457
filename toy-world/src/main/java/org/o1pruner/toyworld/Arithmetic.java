package org.o1pruner.toyworld;

import java.util.List;

/**
 * The exact arithmetic of the toy world and what makes a step hard. Pure functions only.
 *
 * <p>A step applies one signed term to a running value. Addition is hard when its units column
 * carries, subtraction when it borrows, and a product when both factors are 6 or more: those
 * are the steps on which a hurried first pass slips.
 */
final class Arithmetic {

    private Arithmetic() {
    }

    /** Exact value of a chain (sum of its signed terms). */
    static long value(List<Term> terms) {
        long v = 0;
        for (Term t : terms) {
            v += t.signedValue();
        }
        return v;
    }

    /** Whether adding {@code m} to {@code x} carries out of the units column. */
    static boolean carries(long x, long m) {
        return Math.floorMod(x, 10) + Math.floorMod(m, 10) >= 10;
    }

    /** Whether subtracting {@code m} from {@code x} borrows in the units column. */
    static boolean borrows(long x, long m) {
        return Math.floorMod(x, 10) < Math.floorMod(m, 10);
    }

    /** Whether a single-digit product is on the hard part of the table. */
    static boolean hardProduct(int a, int b) {
        return a >= 6 && b >= 6;
    }

    /** Whether applying term {@code t} (not the first term) to running value {@code x} is a hard step. */
    static boolean hardStep(long x, Term t) {
        return t.minus() ? borrows(x, t.magnitude()) : carries(x, t.magnitude());
    }

    /**
     * Number of hard steps of the left-to-right first pass over a chain: a hard leading product
     * counts, then every carrying addition and borrowing subtraction.
     */
    static int hardSteps(List<Term> terms) {
        int hard = 0;
        Term first = terms.get(0);
        if (first.isProduct() && hardProduct(first.a(), first.b())) {
            hard++;
        }
        long x = first.signedValue();
        for (int i = 1; i < terms.size(); i++) {
            Term t = terms.get(i);
            if (hardStep(x, t)) {
                hard++;
            }
            x += t.signedValue();
        }
        return hard;
    }

    /** Smallest running value of the left-to-right evaluation (including the first term). */
    static long minPrefix(List<Term> terms) {
        long x = terms.get(0).signedValue();
        long min = x;
        for (int i = 1; i < terms.size(); i++) {
            x += terms.get(i).signedValue();
            min = Math.min(min, x);
        }
        return min;
    }

    /** Whether continuing from {@code x} with {@code rest} keeps every running value non-negative. */
    static boolean staysNonNegative(long x, List<Term> rest) {
        if (x < 0) {
            return false;
        }
        for (Term t : rest) {
            x += t.signedValue();
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    /** The chain as written in a problem: {@code 7×8+47-19}. */
    static String expression(List<Term> terms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            if (i > 0 || t.minus()) {
                sb.append(t.minus() ? '-' : '+');
            }
            sb.append(t.body());
        }
        return sb.toString();
    }

    /**
     * Parses a chain written by {@link #expression(List)}.
     *
     * @throws IllegalArgumentException naming the offending position when the text is not a chain
     */
    static List<Term> parse(String expression) {
        java.util.ArrayList<Term> terms = new java.util.ArrayList<>();
        int i = 0;
        int n = expression.length();
        while (i < n) {
            boolean minus = false;
            if (!terms.isEmpty()) {
                char op = expression.charAt(i);
                if (op != '+' && op != '-') {
                    throw new IllegalArgumentException("expected + or - at " + i + " in '" + expression + "'");
                }
                minus = op == '-';
                i++;
            }
            int start = i;
            while (i < n && Character.isDigit(expression.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("expected a number at " + start + " in '" + expression + "'");
            }
            int a = Integer.parseInt(expression.substring(start, i));
            if (i < n && expression.charAt(i) == '×') {
                if (!terms.isEmpty()) {
                    throw new IllegalArgumentException("only the first term may be a product in '" + expression + "'");
                }
                i++;
                int bStart = i;
                while (i < n && Character.isDigit(expression.charAt(i))) {
                    i++;
                }
                if (bStart == i) {
                    throw new IllegalArgumentException("expected a factor at " + bStart + " in '" + expression + "'");
                }
                terms.add(Term.product(a, Integer.parseInt(expression.substring(bStart, i))));
            } else {
                terms.add(new Term(minus, a, 0));
            }
        }
        return List.copyOf(terms);
    }
}
