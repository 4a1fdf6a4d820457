package org.o1pruner.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Applies {@link QuietLogging} when a JUnit launcher session opens, i.e. before any test class
 * (or Testcontainers' Docker probe) creates a logger. Registered through
 * {@code META-INF/services}, so every module with libs/testing on its test class path gets it.
 */
public final class QuietLoggingSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        QuietLogging.apply();
    }
}
