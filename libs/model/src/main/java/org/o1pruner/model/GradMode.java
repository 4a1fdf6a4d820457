package org.o1pruner.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread PyTorch gradient mode and intra-op thread count.
 *
 * <p>Autograd recording is a thread-local switch in PyTorch and new threads start with it on.
 * Sampling and scoring threads must turn it off, or every forward pass builds a graph that is
 * never used; {@link #disabled()} does that for a scope and restores the previous state.
 */
public final class GradMode {

    private GradMode() {}

    /** The JNI functions exist only once the PyTorch engine has loaded its native library. */
    private static final class Native {
        static final boolean LOADED = ai.djl.engine.Engine.getEngine("PyTorch") != null;

        static void load() {
            if (!LOADED) {
                throw new IllegalStateException("PyTorch engine unavailable");
            }
        }
    }

    /** Whether autograd records operations on the calling thread. */
    public static boolean isEnabled() {
        Native.load();
        return JniUtils.isGradMode();
    }

    /** Turns autograd recording on or off for the calling thread. */
    public static void set(boolean enabled) {
        Native.load();
        JniUtils.setGradMode(enabled);
    }

    /** Turns gradient recording off on this thread until the returned scope is closed. */
    public static Scope disabled() {
        return scoped(false);
    }

    /** Turns gradient recording on on this thread until the returned scope is closed. */
    public static Scope enabled() {
        return scoped(true);
    }

    private static Scope scoped(boolean enabled) {
        Native.load();
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        return new Scope(previous);
    }

    /**
     * Sets PyTorch's intra-op thread count (two suit training on two cores; one suits batch-1
     * sampling). Affects the whole process.
     *
     * @throws IllegalArgumentException when {@code threads} is not positive
     */
    public static void setIntraOpThreads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("thread count must be positive, got " + threads);
        }
        Native.load();
        JniUtils.setNumThreads(threads);
    }

    /** PyTorch's current intra-op thread count. */
    public static int intraOpThreads() {
        Native.load();
        return JniUtils.getNumThreads();
    }

    /** Restores the gradient mode that was in force when it was opened. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previous);
        }
    }
}
