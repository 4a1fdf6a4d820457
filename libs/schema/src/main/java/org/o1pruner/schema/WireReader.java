package org.o1pruner.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.o1pruner.schema.DeadLetterReason.UNDECODABLE;

/**
 * Reads fields written by {@link WireWriter}. Every read checks the bytes left
 * first, so truncated or corrupt input fails with {@link DeadLetterReason#UNDECODABLE}
 * and a declared length can never make it allocate more than the input holds.
 */
final class WireReader {
    private final ByteBuffer buf;

    WireReader(byte[] bytes, int offset) {
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        buf.position(offset);
    }

    byte readByte(String field) {
        need(1, field);
        return buf.get();
    }

    boolean readBoolean(String field) {
        byte b = readByte(field);
        if (b == 0) {
            return false;
        }
        if (b == 1) {
            return true;
        }
        throw new RecordException(UNDECODABLE, field + ": boolean byte is " + b);
    }

    int readInt(String field) {
        need(4, field);
        return buf.getInt();
    }

    long readLong(String field) {
        need(8, field);
        return buf.getLong();
    }

    double readDouble(String field) {
        need(8, field);
        return buf.getDouble();
    }

    String readString(String field) {
        int len = readLength(1, field);
        if (len < 0) {
            return null;
        }
        ByteBuffer slice = buf.slice();
        slice.limit(len);
        buf.position(buf.position() + len);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new RecordException(UNDECODABLE, field + ": invalid UTF-8", e);
        }
    }

    /** A string that the format does not allow to be null (map keys). */
    String readRequiredString(String field) {
        String s = readString(field);
        if (s == null) {
            throw new RecordException(UNDECODABLE, field + ": null where the format forbids it");
        }
        return s;
    }

    int[] readInts(String field) {
        int len = readLength(4, field);
        if (len < 0) {
            return null;
        }
        int[] a = new int[len];
        buf.asIntBuffer().get(a);
        buf.position(buf.position() + 4 * len);
        return a;
    }

    float[] readFloats(String field) {
        int len = readLength(4, field);
        if (len < 0) {
            return null;
        }
        float[] a = new float[len];
        buf.asFloatBuffer().get(a);
        buf.position(buf.position() + 4 * len);
        return a;
    }

    Map<String, String> readStringMap(String field) {
        int n = readLength(8, field);
        if (n < 0) {
            return null;
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readRequiredString(field + ".key");
            String value = readString(field + "[" + key + "]");
            if (map.put(key, value) != null) {
                throw new RecordException(UNDECODABLE, field + ": duplicate key '" + key + "'");
            }
        }
        return map;
    }

    Map<String, Double> readDoubleMap(String field) {
        int n = readLength(12, field);
        if (n < 0) {
            return null;
        }
        Map<String, Double> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = readRequiredString(field + ".key");
            double value = readDouble(field + "[" + key + "]");
            if (map.put(key, value) != null) {
                throw new RecordException(UNDECODABLE, field + ": duplicate key '" + key + "'");
            }
        }
        return map;
    }

    /** Fails unless every byte was consumed. */
    void end() {
        if (buf.hasRemaining()) {
            throw new RecordException(UNDECODABLE, buf.remaining() + " trailing bytes after the record");
        }
    }

    /**
     * A length prefix: -1 (null) or a count of elements of at least {@code minElementBytes}
     * each that the remaining input can hold.
     */
    private int readLength(int minElementBytes, String field) {
        int len = readInt(field + ".length");
        if (len == WireWriter.NULL_LENGTH) {
            return -1;
        }
        if (len < 0) {
            throw new RecordException(UNDECODABLE, field + ": negative length " + len);
        }
        if ((long) len * minElementBytes > buf.remaining()) {
            throw new RecordException(UNDECODABLE, field + ": length " + len + " exceeds the "
                    + buf.remaining() + " bytes left");
        }
        return len;
    }

    private void need(int n, String field) {
        if (buf.remaining() < n) {
            throw new RecordException(UNDECODABLE, "truncated at " + field + ": need " + n
                    + " bytes, " + buf.remaining() + " left");
        }
    }
}
