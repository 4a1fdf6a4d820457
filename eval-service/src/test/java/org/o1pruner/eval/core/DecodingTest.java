package org.o1pruner.eval.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DecodingTest {
    @Test
    void labels() {
        assertEquals("greedy", Decoding.greedy().label());
        assertEquals("fast-greedy", Decoding.greedy().withFastPrompt(true).label());
        assertEquals("sample-t0.5-p0.8-n4", Decoding.sampled(4, 0.5, 0.8).label());
        assertEquals("sample-t1-p1-n16", Decoding.sampled(16, 1, 1).label());
        assertEquals("fast-sample-t0.7-p0.95-n2", Decoding.sampled(2, 0.7, 0.95).withFastPrompt(true).label());
    }

    @Test
    void greedyIgnoresSamplingKnobs() {
        Decoding d = new Decoding(Decoding.Mode.GREEDY, 1, 0.9, 0.5, false);
        assertEquals(0, d.temperature());
        assertEquals(1, d.topP());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Decoding(Decoding.Mode.GREEDY, 3, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Decoding.sampled(0, 0.5, 0.8));
        assertThrows(IllegalArgumentException.class, () -> Decoding.sampled(2, 0, 0.8));
        assertThrows(IllegalArgumentException.class, () -> Decoding.sampled(2, 0.5, 0));
    }
}
