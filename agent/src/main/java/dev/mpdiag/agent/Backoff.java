package dev.mpdiag.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries: 0.5 s doubling up to a cap, each jittered by +-50% so that the workers of one
 * service, which lose the collector at the same moment, do not all come back at the same moment. The cap is
 * the cut interval (at most 30 s): a retry is one refused connect, and a collector that comes back must see
 * the backlog within about two intervals, not after a long backoff (nor only at exit, with 2 s to send it all).
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

    /** The delay before the next attempt after one more failure. */
    long nextDelayMillis() {
        failures = Math.min(failures + 1, 32);
        long base = INITIAL_MILLIS;
        for (int i = 1; i < failures && base < capMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, capMillis);
        return (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
