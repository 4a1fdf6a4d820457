package org.o1pruner.model.sampling;

import org.o1pruner.model.CausalLM;
import org.o1pruner.model.JavaDecoder;

/** Where the token-by-token forward passes of generation run. */
public enum DecodeBackend {
    /** libtorch through DJL, one native op at a time; any device and float type. */
    LIBTORCH,
    /** {@link JavaDecoder}: plain Java loops on the CPU, float32; no per-op native overhead. */
    JAVA,
    /**
     * Java for float32 CPU models up to {@link #AUTO_JAVA_MAX_PARAMETERS} parameters when its SIMD
     * kernels are available, libtorch otherwise.
     */
    AUTO;

    /**
     * Largest model AUTO decodes in Java: beyond this the arithmetic dominates the per-op overhead
     * and libtorch's tuned matrix kernels win.
     */
    public static final long AUTO_JAVA_MAX_PARAMETERS = 64_000_000L;

    /** The concrete backend for {@code model}: LIBTORCH or JAVA. */
    public DecodeBackend resolve(CausalLM model) {
        if (this != AUTO) {
            return this;
        }
        if (!JavaDecoder.supports(model) || !JavaDecoder.vectorized()) {
            return LIBTORCH;
        }
        long params = 0;
        for (var a : model.parameters().values()) {
            params += a.getShape().size();
        }
        return params <= AUTO_JAVA_MAX_PARAMETERS ? JAVA : LIBTORCH;
    }

    /** Parses a configuration value ({@code auto}, {@code java}, {@code libtorch}), case-insensitively. */
    public static DecodeBackend parse(String value) {
        for (DecodeBackend b : values()) {
            if (b.name().equalsIgnoreCase(value.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown decoding backend '" + value + "' (auto, java, libtorch)");
    }
}
