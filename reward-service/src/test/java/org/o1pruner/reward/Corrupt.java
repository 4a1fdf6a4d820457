package org.o1pruner.reward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.o1pruner.schema.Codecs;
import org.o1pruner.schema.SampleRecord;

/**
 * Byte surgery on encoded samples, to get records a correct producer could never write
 * (the codec validates before encoding). Offsets follow the v1 layout in SCHEMAS.md:
 * 5 header bytes, then problemId, dataset, round, policyVersion, sampleIndex, k, answer,
 * variant, promptTokenIds, responseTokenIds, logProbs, ... (big-endian, strings and
 * arrays length-prefixed).
 */
final class Corrupt {
    private Corrupt() {}

    private static int len(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int sampleIndexOffset(SampleRecord s) {
        return 5 + len(s.problemId()) + len(s.dataset()) + 4 + 8;
    }

    private static int logProbsOffset(SampleRecord s) {
        return sampleIndexOffset(s) + 4 + 4 + len(s.answer()) + len(s.variant())
                + 4 + 4 * s.promptTokenIds().length + 4 + 4 * s.responseTokenIds().length;
    }

    /** Schema version 0x7F7F, which no build reads. */
    static byte[] wrongVersion(SampleRecord s) {
        byte[] b = Codecs.SAMPLE.encode(s);
        b[3] = 0x7F;
        b[4] = 0x7F;
        return b;
    }

    /** The first log-prob replaced by NaN. */
    static byte[] nanLogProb(SampleRecord s) {
        byte[] b = Codecs.SAMPLE.encode(s);
        ByteBuffer.wrap(b).putFloat(logProbsOffset(s) + 4, Float.NaN);
        return b;
    }

    /** sampleIndex set to -1. */
    static byte[] negativeIndex(SampleRecord s) {
        byte[] b = Codecs.SAMPLE.encode(s);
        ByteBuffer.wrap(b).putInt(sampleIndexOffset(s), -1);
        return b;
    }

    /** One log-prob fewer than response tokens. */
    static byte[] mismatchedArrays(SampleRecord s) {
        byte[] b = Codecs.SAMPLE.encode(s);
        int off = logProbsOffset(s);
        ByteBuffer.wrap(b).putInt(off, s.logProbs().length - 1);
        int lastFloat = off + 4 + 4 * (s.logProbs().length - 1);
        byte[] out = Arrays.copyOf(b, b.length - 4);
        System.arraycopy(b, lastFloat + 4, out, lastFloat, b.length - lastFloat - 4);
        return out;
    }
}
