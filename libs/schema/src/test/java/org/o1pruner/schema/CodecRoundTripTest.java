package org.o1pruner.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class CodecRoundTripTest {

    @Test
    void promptRoundTrips() {
        PromptRecord p = Fixtures.prompt();
        assertEquals(p, Codecs.PROMPT.decode(Codecs.PROMPT.encode(p)));
    }

    @Test
    void sampleRoundTrips() {
        SampleRecord s = Fixtures.sample();
        SampleRecord back = Codecs.SAMPLE.decode(Codecs.SAMPLE.encode(s));
        assertEquals(s, back);
        assertEquals(s.hashCode(), back.hashCode());
        assertNotSame(s.responseTokenIds(), back.responseTokenIds());
        assertEquals(3, back.length());
    }

    @Test
    void scoredRoundTrips() {
        ScoredRecord s = Fixtures.scored();
        assertEquals(s, Codecs.SCORED.decode(Codecs.SCORED.encode(s)));
    }

    @Test
    void checkpointRoundTrips() {
        CheckpointRecord c = Fixtures.checkpoint();
        CheckpointRecord back = Codecs.CHECKPOINT.decode(Codecs.CHECKPOINT.encode(c));
        assertEquals(c, back);
        assertEquals("config.json", back.sha256ByFile().keySet().iterator().next());
    }

    @Test
    void evalRoundTrips() {
        EvalRecord e = Fixtures.eval();
        assertEquals(e, Codecs.EVAL.decode(Codecs.EVAL.encode(e)));
    }
}
