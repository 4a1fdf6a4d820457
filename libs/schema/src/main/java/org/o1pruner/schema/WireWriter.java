package org.o1pruner.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Appends fields to a growable big-endian buffer in the version-1 wire format:
 * fixed-width numbers, strings and arrays prefixed by a signed 32-bit length
 * ({@value #NULL_LENGTH} marks null).
 */
final class WireWriter {
    /** Length prefix that marks a null string, array or map. */
    static final int NULL_LENGTH = -1;

    private ByteBuffer buf;

    WireWriter(int initialCapacity) {
        buf = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.BIG_ENDIAN);
    }

    void header(RecordType type, int version) {
        ensure(Wire.HEADER_BYTES);
        buf.put(Wire.MARKER_0).put(Wire.MARKER_1).put(type.code()).putShort((short) version);
    }

    void writeByte(byte v) {
        ensure(1);
        buf.put(v);
    }

    void writeBoolean(boolean v) {
        writeByte(v ? (byte) 1 : (byte) 0);
    }

    void writeInt(int v) {
        ensure(4);
        buf.putInt(v);
    }

    void writeLong(long v) {
        ensure(8);
        buf.putLong(v);
    }

    void writeDouble(double v) {
        ensure(8);
        buf.putDouble(v);
    }

    /** A nullable UTF-8 string; a string with an unpaired surrogate is rejected as INVALID. */
    void writeString(String s) {
        if (s == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        requireWellFormed(s);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + bytes.length);
        buf.putInt(bytes.length).put(bytes);
    }

    void writeInts(int[] a) {
        if (a == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        ensure(4 + 4L * a.length);
        buf.putInt(a.length);
        buf.asIntBuffer().put(a);
        buf.position(buf.position() + 4 * a.length);
    }

    void writeFloats(float[] a) {
        if (a == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        ensure(4 + 4L * a.length);
        buf.putInt(a.length);
        buf.asFloatBuffer().put(a);
        buf.position(buf.position() + 4 * a.length);
    }

    void writeStringMap(Map<String, String> map) {
        if (map == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(e.getKey());
            writeString(e.getValue());
        }
    }

    void writeDoubleMap(Map<String, Double> map) {
        if (map == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        writeInt(map.size());
        for (Map.Entry<String, Double> e : map.entrySet()) {
            writeString(e.getKey());
            writeDouble(e.getValue());
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void ensure(long extra) {
        long needed = buf.position() + extra;
        if (needed <= buf.capacity()) {
            return;
        }
        if (needed > Integer.MAX_VALUE - 16) {
            throw new RecordException(DeadLetterReason.INVALID, "record too large to encode: " + needed + " bytes");
        }
        long grown = Math.max(needed, Math.min((long) buf.capacity() * 2, Integer.MAX_VALUE - 16));
        ByteBuffer bigger = ByteBuffer.allocate((int) grown).order(ByteOrder.BIG_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }

    private static void requireWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new RecordException(DeadLetterReason.INVALID, "string has an unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new RecordException(DeadLetterReason.INVALID, "string has an unpaired surrogate at index " + i);
            }
        }
    }
}
