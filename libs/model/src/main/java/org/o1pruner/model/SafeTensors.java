package org.o1pruner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
 * of names, dtypes, shapes and byte offsets, then raw little-endian data).
 *
 * <p>Our own codec rather than DJL's: tensors are read by name straight from a memory map (no
 * 2 GB whole-file limit), and files carry the {@code {"format": "pt"}} metadata transformers
 * expects.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {}

    /** Where one tensor lies in a file. */
    public record Entry(String name, DataType dataType, Shape shape, long begin, long end) {}

    /**
     * Lists the tensors of a file without reading their data.
     *
     * @throws CheckpointException naming the file when the header is malformed
     */
    public static Map<String, Entry> header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Entry> header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long n = lenBuf.getLong(0);
        if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
            throw new CheckpointException(file + ": bad safetensors header length " + n);
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, file);
        JsonNode root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        Map<String, Entry> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            DataType dt;
            try {
                dt = DataType.fromSafetensors(t.path("dtype").asText());
            } catch (IllegalArgumentException ex) {
                throw new CheckpointException(file + ": tensor " + e.getKey()
                        + " has unsupported dtype " + t.path("dtype").asText(), ex);
            }
            JsonNode shapeNode = t.path("shape");
            long[] dims = new long[shapeNode.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shapeNode.get(i).asLong();
            }
            Shape shape = new Shape(dims);
            long begin = t.path("data_offsets").path(0).asLong(-1);
            long end = t.path("data_offsets").path(1).asLong(-1);
            long expected = shape.size() * dt.getNumOfBytes();
            if (begin < 0 || end < begin || end > dataSize || end - begin != expected) {
                throw new CheckpointException(file + ": tensor " + e.getKey() + " offsets ["
                        + begin + ", " + end + ") do not fit " + dt + " " + shape
                        + " in a data section of " + dataSize + " bytes (truncated file?)");
            }
            out.put(e.getKey(), new Entry(e.getKey(), dt, shape, dataStart + begin, dataStart + end));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file)
            throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new CheckpointException(file + ": truncated safetensors file");
            }
        }
    }

    /**
     * Reads every tensor of a file into {@code manager}, converting floating-point tensors to
     * {@code floatType} when it is not null. Arrays are named after their tensors and own their
     * memory (no file mapping stays attached).
     */
    public static Map<String, NDArray> read(Path file, NDManager manager, DataType floatType) {
        Map<String, NDArray> out = new TreeMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Entry e : header(file, ch).values()) {
                out.put(e.name(), read(ch, e, manager, floatType));
            }
        } catch (IOException e) {
            out.values().forEach(NDArray::close);
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            out.values().forEach(NDArray::close);
            throw e;
        }
        return out;
    }

    private static NDArray read(FileChannel ch, Entry e, NDManager manager, DataType floatType)
            throws IOException {
        long len = e.end() - e.begin();
        DataType target = floatType != null && e.dataType().isFloating() ? floatType : e.dataType();
        if (target == DataType.BFLOAT16) {
            target = DataType.FLOAT32; // DJL's PyTorch engine cannot hold bfloat16 arrays
        }
        NDArray array;
        if (len == 0) {
            array = manager.zeros(e.shape(), target);
        } else if (e.dataType() == DataType.BFLOAT16) {
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, e.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[Math.toIntExact(e.shape().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = bf16ToFloat(mapped.getShort(2 * i));
            }
            array = manager.create(values, e.shape());
        } else {
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, e.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
            try (NDArray view = manager.create(mapped, e.shape(), e.dataType())) {
                array = view.duplicate(); // own memory: parameters are later updated in place
            }
        }
        if (array.getDataType() != target) {
            NDArray converted = array.toType(target, false);
            array.close();
            array = converted;
        }
        array.setName(e.name());
        return array;
    }

    /** Widens a bfloat16 bit pattern to the float it denotes (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds a float to the nearest bfloat16 (ties to even), as PyTorch does; NaN stays NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    /**
     * Writes tensors (sorted by name) with {@code {"format": "pt"}} metadata and forces the file
     * to disk.
     */
    public static void write(Path file, Map<String, NDArray> tensors) {
        write(file, tensors, null);
    }

    /**
     * Writes tensors, storing floating-point ones as {@code storeAs} when it is not null
     * (bfloat16 is rounded to nearest-even here, since the engine has no bfloat16 arrays).
     */
    public static void write(Path file, Map<String, NDArray> tensors, DataType storeAs) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        Map<String, ByteBuffer> data = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            NDArray a = e.getValue();
            DataType type = storeAs != null && a.getDataType().isFloating() ? storeAs : a.getDataType();
            ByteBuffer bytes = encode(a, type);
            long len = bytes.remaining();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", type.asSafetensors());
            ArrayNode shape = t.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
            data.put(e.getKey(), bytes);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new CheckpointException("cannot encode safetensors header for " + file, e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(ch, head);
            for (ByteBuffer b : data.values()) {
                writeFully(ch, b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer encode(NDArray a, DataType type) {
        if (type == DataType.BFLOAT16) {
            float[] values;
            if (a.getDataType() == DataType.FLOAT32) {
                values = a.toFloatArray();
            } else {
                try (NDArray f = a.toType(DataType.FLOAT32, false)) {
                    values = f.toFloatArray();
                }
            }
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putShort(floatToBf16(v));
            }
            return b.flip();
        }
        if (type != a.getDataType()) {
            try (NDArray c = a.toType(type, false)) {
                return c.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        return a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Bytes a tensor occupies in a safetensors file. */
    static long byteSize(NDArray a, DataType storeAs) {
        DataType t = storeAs != null && a.getDataType().isFloating() ? storeAs : a.getDataType();
        return a.getShape().size() * t.getNumOfBytes();
    }
}
