package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvalSummaryTest {
    @Test
    void accumulates() {
        EvalSummary s = EvalSummary.EMPTY.plus(true, 10, false).plus(false, 30, true).plus(true, 20, false);
        assertEquals(3, s.n());
        assertEquals(2, s.correct());
        assertEquals(1, s.truncated());
        assertEquals(20.0, s.meanLength(), 1e-12);
        assertEquals(2.0 / 3, s.accuracy(), 1e-12);
        assertEquals(s, EvalSummary.EMPTY.plus(true, 10, false).plus(new EvalSummary(2, 1, 50, 1)));
    }

    @Test
    void emptyIsZero() {
        assertEquals(0, EvalSummary.EMPTY.accuracy());
        assertEquals(0, EvalSummary.EMPTY.meanLength());
    }

    @Test
    void rejectsInconsistentCounts() {
        assertThrows(IllegalArgumentException.class, () -> new EvalSummary(2, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EvalSummary(2, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> EvalSummary.EMPTY.plus(true, -1, false));
    }
}
