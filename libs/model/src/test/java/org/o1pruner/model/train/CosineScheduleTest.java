package org.o1pruner.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    @Test
    void valuesOfATenPercentWarmUp() {
        CosineSchedule s = new CosineSchedule(1e-3, 100, 0.1);
        assertEquals(10, s.warmupSteps());
        assertEquals(0.0, s.lr(0), 0);
        assertEquals(5e-4, s.lr(5), 1e-15);
        assertEquals(1e-3, s.lr(10), 1e-15);
        // halfway through the decay (step 55 of 10..100) the cosine is at its midpoint
        assertEquals(5e-4, s.lr(55), 1e-15);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 22 / 90.0)), s.lr(32), 1e-15);
        assertEquals(0.0, s.lr(100), 0);
        assertEquals(0.0, s.lr(1000), 0);
    }

    @Test
    void floorAndNoWarmUp() {
        CosineSchedule s = new CosineSchedule(1.0, 10, 0.0, 0.1);
        assertEquals(0, s.warmupSteps());
        assertEquals(1.0, s.lr(0), 0);
        assertEquals(0.1, s.lr(10), 0);
        assertEquals(0.1 + 0.9 * 0.5, s.lr(5), 1e-12);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0, 10, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 10, 0.1, 2));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 10, 0.1).lr(-1));
    }

    @Property
    void risesThenFallsWithinBounds(
            @ForAll @LongRange(min = 1, max = 5000) long total,
            @ForAll @DoubleRange(min = 0, max = 1) double warmup,
            @ForAll @LongRange(min = 0, max = 6000) long step) {
        CosineSchedule s = new CosineSchedule(2e-6, total, warmup);
        double here = s.lr(step);
        double next = s.lr(step + 1);
        assertTrue(here >= 0 && here <= 2e-6, "lr out of [0, peak]: " + here);
        if (step + 1 < s.warmupSteps()) {
            assertTrue(next > here, "warm-up must rise");
        } else if (step >= s.warmupSteps()) {
            assertTrue(next <= here, "decay must not rise");
        }
    }
}
