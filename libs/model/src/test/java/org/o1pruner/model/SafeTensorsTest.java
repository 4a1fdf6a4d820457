package org.o1pruner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

    @Test
    void bfloat16RoundingMatchesKnownValues() {
        assertEquals((short) 0x3f80, SafeTensors.floatToBf16(1.0f));
        assertEquals((short) 0xc000, SafeTensors.floatToBf16(-2.0f));
        // 1 + 2^-8 lies exactly between two bfloat16 values: ties go to the even one (1.0)
        assertEquals((short) 0x3f80, SafeTensors.floatToBf16(1.0f + 0x1p-8f));
        // 1 + 3 * 2^-8 lies between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up to even
        assertEquals((short) 0x3f82, SafeTensors.floatToBf16(1.0f + 3 * 0x1p-8f));
        assertTrue(Float.isNaN(SafeTensors.bf16ToFloat(SafeTensors.floatToBf16(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.bf16ToFloat(SafeTensors.floatToBf16(Float.POSITIVE_INFINITY)));
    }

    @Property
    void roundingPicksTheNearestBfloat16(@ForAll float x) {
        if (Float.isNaN(x) || Float.isInfinite(x) || Math.abs(x) > 3.3e38f) {
            return;
        }
        short r = SafeTensors.floatToBf16(x);
        double got = SafeTensors.bf16ToFloat(r);
        double down = SafeTensors.bf16ToFloat((short) (r - 1));
        double up = SafeTensors.bf16ToFloat((short) (r + 1));
        double err = Math.abs(got - x);
        // a NaN neighbour (bit patterns wrap around zero) compares false, hence the negations
        assertTrue(!(err > Math.abs(down - x)) && !(err > Math.abs(up - x)),
                x + " rounded to " + got + " but neighbours " + down + ", " + up + " exist");
    }

    @Property
    void bfloat16ValuesSurviveARoundTrip(@ForAll short bits) {
        float f = SafeTensors.bf16ToFloat(bits);
        if (!Float.isNaN(f)) {
            assertEquals(bits, SafeTensors.floatToBf16(f));
        }
    }
}
