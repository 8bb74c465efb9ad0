package dev.mpdiag.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries: 0.5 s doubling, each jittered by +-50% so that the workers of one service, which lose
 * the collector at the same moment, do not all come back at the same moment. The cap is the cut interval (at
 * most 30 s), and it caps the jittered delay, not its middle: a collector that comes back is tried again within
 * one interval, which leaves the second of the two intervals we promise for the upload itself (not a long
 * backoff, nor only at exit, with 2 s to send it all). At the cap the delays spread over [cap/3, cap).
 */
final class Backoff {

    static final long INITIAL_MILLIS = 500;
    static final long MAX_MILLIS = 30_000;

    private final long capMillis;
    private int failures;

    Backoff() {
        this(MAX_MILLIS);
    }

    Backoff(long capMillis) {
        this.capMillis = Math.max(INITIAL_MILLIS, Math.min(MAX_MILLIS, capMillis));
    }

    /** The delay before the next attempt after one more failure: at most the cap. */
    long nextDelayMillis() {
        failures = Math.min(failures + 1, 32);
        // The middle of the jitter range stops at 2/3 of the cap, so its top (+50%) is the cap itself.
        double middleCap = capMillis / 1.5;
        double middle = INITIAL_MILLIS;
        for (int i = 1; i < failures && middle < middleCap; i++) {
            middle *= 2;
        }
        middle = Math.min(middle, middleCap);
        return Math.min(capMillis, (long) (middle * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }

    /**
     * The delay after one more failure when the collector asked for at least atLeastMillis (a 429's Retry-After):
     * the longer of the two, still at most the cap, so a collector that asks for an hour is tried again within
     * one interval and the spool stays bounded.
     */
    long nextDelayMillis(long atLeastMillis) {
        return Math.min(capMillis, Math.max(nextDelayMillis(), atLeastMillis));
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
