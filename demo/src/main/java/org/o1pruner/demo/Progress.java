package org.o1pruner.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for a long phase, redrawn in place on a terminal stream (stderr);
 * silent without a stream. The line itself is pure ({@link #line}) so it can be tested.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private static final long REDRAW_NS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final long startNs = System.nanoTime();
    private long total;
    private long done;
    private String note = "";
    private long lastDrawNs;
    private boolean finished;

    public Progress(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** Sets the amount done and a short note (e.g. a running accuracy), redrawing at most 5 times a second. */
    public synchronized void update(long newDone, String newNote) {
        done = newDone;
        note = newNote == null ? "" : newNote;
        long now = System.nanoTime();
        if (out != null && now - lastDrawNs >= REDRAW_NS) {
            lastDrawNs = now;
            out.print("\r" + line(label, done, total, seconds(), note));
            out.flush();
        }
    }

    /** Changes the total (when it becomes known during the phase). */
    public synchronized void total(long newTotal) {
        total = newTotal;
    }

    /** Seconds since the phase started. */
    public double seconds() {
        return (System.nanoTime() - startNs) / 1e9;
    }

    /** Draws the final line and ends it. */
    @Override
    public synchronized void close() {
        if (finished) {
            return;
        }
        finished = true;
        if (out != null) {
            out.println("\r" + line(label, done, total, seconds(), note));
            out.flush();
        }
    }

    /** The bar: {@code label [####......] done/total 12s eta 30s note}. */
    static String line(String label, long done, long total, double seconds, String note) {
        long shown = Math.min(done, Math.max(total, 0));
        int filled = total <= 0 ? 0 : (int) (WIDTH * shown / total);
        String eta = done <= 0 || done >= total ? "" : String.format(Locale.ROOT, " eta %.0fs", seconds / done * (total - done));
        return String.format(Locale.ROOT, "%-28s [%s%s] %d/%d %.0fs%s%s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, seconds, eta, note.isEmpty() ? "" : " " + note);
    }
}
