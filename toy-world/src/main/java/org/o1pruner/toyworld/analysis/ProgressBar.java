package org.o1pruner.toyworld.analysis;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal stream (stderr): done / total, elapsed
 * time and an estimate of the time left. Redraws at most twice a second. Not thread-safe.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;

    /** @param out where to draw (null: nowhere) */
    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Reports {@code done} units finished. */
    public void update(long done) {
        long now = System.nanoTime();
        if (out == null || (now - lastDraw < REDRAW_NANOS && done < total)) {
            return;
        }
        lastDraw = now;
        out.print("\r" + render(label, done, total, (now - start) / 1e9));
        out.flush();
    }

    /** Draws the final state and ends the line. */
    public void finish(long done) {
        if (out != null) {
            out.print("\r" + render(label, done, total, (System.nanoTime() - start) / 1e9) + "\n");
            out.flush();
        }
    }

    /** The bar's text for a state (pure, for tests). */
    static String render(String label, long done, long total, double seconds) {
        double f = Math.min(1, Math.max(0, (double) done / total));
        int filled = (int) Math.round(f * WIDTH);
        String eta = done > 0 && done < total ? String.format(Locale.ROOT, ", ETA %.0f s", seconds / done * (total - done)) : "";
        return String.format(Locale.ROOT, "%-14s [%s%s] %d/%d (%3.0f %%), %.0f s%s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, 100 * f, seconds, eta);
    }
}
