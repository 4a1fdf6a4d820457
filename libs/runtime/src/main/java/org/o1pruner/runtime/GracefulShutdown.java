package org.o1pruner.runtime;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM handling for a service's {@code main}: a JVM shutdown hook that closes the given
 * parts in order — the loop first (it finishes or aborts its transaction and closes its
 * clients), then the shell — so that Kubernetes' termination grace period is used to lose
 * nothing. Each part's own close bounds its time (see {@link LoopOptions#shutdownTimeout()}).
 */
public final class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private GracefulShutdown() {}

    /** Installs the hook; returns its thread (remove it with {@code Runtime.removeShutdownHook} in tests). */
    public static Thread install(String service, AutoCloseable... inOrder) {
        List<AutoCloseable> parts = List.of(inOrder);
        Thread hook = new Thread(() -> closeAll(service, parts), "o1p-shutdown-" + service);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Closes each part in order; a failure is logged and does not stop the rest. */
    public static void closeAll(String service, List<? extends AutoCloseable> inOrder) {
        for (AutoCloseable part : inOrder) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("{}: shutdown of {} failed: {}", service, part, e.toString());
            }
        }
        LOG.info("{}: shut down", service);
    }
}
