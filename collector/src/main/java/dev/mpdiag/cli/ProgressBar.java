package dev.mpdiag.cli;

import dev.mpdiag.engine.Progress;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never into pipes or logs). */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Enabled when a console is attached: System.console() is null whenever stdin/stdout is redirected. */
    static ProgressBar forTerminal(boolean quiet) {
        return new ProgressBar(System.err, !quiet && System.console() != null && System.getenv("CI") == null);
    }

    @Override
    public synchronized void update(long done, long total, String what) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        err.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %s   ", "#".repeat(filled), " ".repeat(WIDTH - filled), f * 100, what);
        err.flush();
        drawn = true;
    }

    /** Clears the bar so the report starts on a clean line. */
    void finish() {
        if (enabled && drawn) {
            err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            err.flush();
        }
    }
}
