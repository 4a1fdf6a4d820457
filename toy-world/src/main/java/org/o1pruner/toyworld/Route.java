package org.o1pruner.toyworld;

import java.util.ArrayList;
import java.util.List;

/**
 * A different route through the same chain that a re-check takes: the terms are summed in
 * another order (the product, if any, is recomputed with its factors swapped), so a re-check
 * meets different carries and borrows than the first pass and can catch its slips. Every
 * route adds the positive terms before subtracting the negative ones, so no running value is
 * ever negative.
 */
public enum Route {
    /** Positive terms right to left, then negative terms right to left. */
    RIGHT_TO_LEFT(" Check backward:"),
    /** Positive terms left to right, then negative terms: the chain regrouped by sign. */
    PLUS_FIRST(" Check regrouped:");

    private final String intro;

    Route(String intro) {
        this.intro = intro;
    }

    /** The words that open a re-check along this route. */
    public String intro() {
        return intro;
    }

    /** Indices of the chain's terms in the order this route visits them. */
    List<Integer> order(List<Term> terms) {
        List<Integer> plus = new ArrayList<>();
        List<Integer> minus = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            (terms.get(i).minus() ? minus : plus).add(i);
        }
        if (this == RIGHT_TO_LEFT) {
            java.util.Collections.reverse(plus);
            java.util.Collections.reverse(minus);
        }
        List<Integer> order = new ArrayList<>(plus);
        order.addAll(minus);
        return order;
    }

    /**
     * Whether this route really differs from the left-to-right first pass on this chain: the
     * sequence of signed values it adds up is not the first pass's sequence (swapping equal
     * operands is no new route).
     */
    boolean differsFromFirstPass(List<Term> terms) {
        List<Integer> order = order(terms);
        for (int i = 0; i < order.size(); i++) {
            if (terms.get(order.get(i)).signedValue() != terms.get(i).signedValue()) {
                return true;
            }
        }
        return false;
    }

    /** The routes that differ from the first pass on this chain (the generator only makes chains with one). */
    static List<Route> available(List<Term> terms) {
        List<Route> out = new ArrayList<>();
        for (Route r : values()) {
            if (r.differsFromFirstPass(terms)) {
                out.add(r);
            }
        }
        return out;
    }
}
