package org.o1pruner.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zero-copy access to the memory of a float32 CPU tensor, for loops that update tensors in place
 * from Java. DJL hands out a direct buffer over a tensor's storage only when the tensor is
 * contiguous (otherwise a buffer over a contiguous copy, where writes would be lost), and its
 * contiguity test is not public: it is reached once, reflectively, and when it cannot be reached
 * no tensor is ever viewed, so callers fall back to tensor operations.
 */
public final class DirectFloats {
    private static final Method IS_CONTIGUOUS;
    private static final Object LIB;

    static {
        Method method = null;
        Object lib = null;
        try {
            Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field f = c.getDeclaredField("LIB");
            f.setAccessible(true);
            lib = f.get(null);
            method = c.getDeclaredMethod("torchIsContiguous", long.class);
            method.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            method = null;
            lib = null;
        }
        IS_CONTIGUOUS = method;
        LIB = lib;
    }

    private DirectFloats() {}

    /**
     * A native-order buffer over {@code a}'s own memory, or {@code null} when {@code a} is not a
     * contiguous float32 PyTorch tensor on the CPU (or cannot be checked).
     */
    public static ByteBuffer view(NDArray a) {
        if (IS_CONTIGUOUS == null || !(a instanceof PtNDArray pt) || a.getDataType() != DataType.FLOAT32
                || !Device.cpu().equals(a.getDevice()) || a.getShape().size() > Integer.MAX_VALUE / Float.BYTES) {
            return null;
        }
        try {
            if (!(Boolean) IS_CONTIGUOUS.invoke(LIB, pt.getHandle())) {
                return null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        ByteBuffer b = JniUtils.getByteBuffer(pt, true);
        return b.isDirect() && b.capacity() == a.getShape().size() * Float.BYTES ? b.order(ByteOrder.nativeOrder()) : null;
    }
}
