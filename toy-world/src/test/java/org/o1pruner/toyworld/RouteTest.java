package org.o1pruner.toyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Property(tries = 300)
    void everyRouteVisitsEachTermOnceAddsBeforeSubtractingAndStaysNonNegative(@ForAll long seed) {
        ToyProblem p = new ProblemGenerator(ProblemMix.DEFAULT).generate("x", seed, 1, Set.of()).get(0);
        assertFalse(Route.available(p.terms()).isEmpty(), p.problem());
        for (Route r : Route.values()) {
            List<Integer> order = r.order(p.terms());
            List<Integer> sorted = new ArrayList<>(order);
            sorted.sort(null);
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i, sorted.get(i), r + " on " + p.problem());
            }
            List<Term> reordered = new ArrayList<>();
            order.forEach(i -> reordered.add(p.terms().get(i)));
            assertTrue(Arithmetic.staysNonNegative(0, reordered), r + " on " + p.problem());
            assertEquals(p.answerValue(), Arithmetic.value(reordered));
        }
    }

    @Test
    void aRouteThatOnlySwapsEqualOperandsIsNoRoute() {
        assertTrue(Route.available(Arithmetic.parse("3+3+3")).isEmpty());
        assertEquals(List.of(Route.RIGHT_TO_LEFT), Route.available(Arithmetic.parse("1+2+3")));
        assertEquals(List.of(Route.RIGHT_TO_LEFT, Route.PLUS_FIRST), Route.available(Arithmetic.parse("9-3+2")));
    }

    @Property(tries = 200)
    void recheckDrawsFollowTheWeights(@ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double u) {
        for (Difficulty d : Difficulty.values()) {
            int k = WorldParams.DEFAULT.drawRechecks(d, u);
            assertTrue(k >= 0 && k <= WorldParams.DEFAULT.maxRechecks());
            assertTrue(WorldParams.DEFAULT.recheckWeights().get(d)[k] > 0, d + " drew a zero-weight count " + k);
        }
    }
}
