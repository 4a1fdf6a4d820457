package org.o1pruner.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.DeadLetterReason;
import org.o1pruner.schema.RecordException;
import org.o1pruner.schema.SampleRecord;

/** The corrupted encodings the integration test sends really fail for the intended reason. */
class CorruptTest {
    private final SampleRecord s = Samples.answering("p-7", 1, 4, "42", "42", 12);

    private static DeadLetterReason reasonOf(byte[] b) {
        return assertThrows(RecordException.class, () -> Codecs.SAMPLE.decode(b)).reason();
    }

    @Test
    void eachCorruptionFailsForItsReason() {
        assertEquals(s, Codecs.SAMPLE.decode(Codecs.SAMPLE.encode(s)));
        assertEquals(DeadLetterReason.UNSUPPORTED_VERSION, reasonOf(Corrupt.wrongVersion(s)));
        assertEquals(DeadLetterReason.NOT_FINITE, reasonOf(Corrupt.nanLogProb(s)));
        assertEquals(DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE, reasonOf(Corrupt.negativeIndex(s)));
        assertEquals(DeadLetterReason.LENGTH_MISMATCH, reasonOf(Corrupt.mismatchedArrays(s)));
    }
}
