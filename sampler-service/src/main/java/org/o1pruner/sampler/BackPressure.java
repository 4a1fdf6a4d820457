package org.o1pruner.sampler;

/**
 * Decides, before each poll, whether the sampler should stop taking prompts because the
 * pipeline behind it is falling behind. Broker back-pressure needs no check: a full producer
 * buffer blocks the send.
 */
@FunctionalInterface
public interface BackPressure extends AutoCloseable {
    /** True while sampling should pause; may cache remote lookups; never throws. */
    boolean shouldPause();

    @Override
    default void close() {
    }

    /** Never pauses. */
    static BackPressure none() {
        return () -> false;
    }
}
