package dev.mpdiag.sample.supervisor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When to restart one worker after it died: exponential backoff between quick deaths, and a crash-loop
 * limit after which the worker is left down. Not thread-safe; one per worker slot, used under its lock.
 */
final class RestartBackoff {
    static final long INITIAL_DELAY_MILLIS = 500;
    static final long MAX_DELAY_MILLIS = 10_000;
    /** A worker that ran this long before dying was healthy: its next restart starts the backoff over. */
    static final long STABLE_RUN_MILLIS = 30_000;
    /** More restarts than this within {@link #WINDOW_MILLIS} is a crash loop. */
    static final int MAX_RESTARTS_IN_WINDOW = 5;
    static final long WINDOW_MILLIS = 60_000;

    /** Returned by {@link #nextDelayMillis} when the worker must not be restarted again. */
    static final long GIVE_UP = -1;

    private final long initialDelay;
    private final long maxDelay;
    private final long stableRun;
    private final int maxRestarts;
    private final long window;
    private final Deque<Long> restartTimes = new ArrayDeque<>();
    private int quickDeaths;

    RestartBackoff() {
        this(INITIAL_DELAY_MILLIS, MAX_DELAY_MILLIS, STABLE_RUN_MILLIS, MAX_RESTARTS_IN_WINDOW, WINDOW_MILLIS);
    }

    RestartBackoff(long initialDelay, long maxDelay, long stableRun, int maxRestarts, long window) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.stableRun = stableRun;
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    int maxRestarts() {
        return maxRestarts;
    }

    long windowMillis() {
        return window;
    }

    /**
     * The delay before restarting a worker that died at {@code nowMillis} after running {@code ranMillis},
     * or {@link #GIVE_UP}. A non-negative answer counts as a restart at {@code nowMillis + delay}.
     */
    long nextDelayMillis(long nowMillis, long ranMillis) {
        if (ranMillis >= stableRun) {
            quickDeaths = 0;
        }
        long delay = initialDelay << Math.min(quickDeaths, 30);
        delay = Math.min(delay, maxDelay);
        long restartAt = nowMillis + delay;
        while (!restartTimes.isEmpty() && restartTimes.peekFirst() <= restartAt - window) {
            restartTimes.removeFirst();
        }
        if (restartTimes.size() >= maxRestarts) {
            return GIVE_UP;
        }
        restartTimes.addLast(restartAt);
        quickDeaths++;
        return delay;
    }
}
