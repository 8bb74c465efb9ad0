package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleFromHalfASecondUpToTheIntervalWithJitter() {
        Backoff b = new Backoff(5_000);
        long first = b.nextDelayMillis();
        assertTrue(first >= 250 && first <= 750, "first delay " + first);
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 200; i++) {
            long d = b.nextDelayMillis();
            if (i >= 10) { // past the doubling
                max = Math.max(max, d);
                min = Math.min(min, d);
            }
        }
        // The jittered delay never passes the interval: a collector that comes back is tried within one interval.
        assertTrue(max <= 5_000, "never past the interval, jitter included: " + max);
        assertTrue(max >= 4_000, "it does grow to near the interval: " + max);
        assertTrue(min >= 1_666 && min < 3_000, "and stays spread out at the cap: " + min);
        b.reset();
        assertTrue(b.nextDelayMillis() <= 750, "reset starts over");
    }

    @Test
    void theCapIsAtMostThirtySecondsAndAtLeastTheFirstDelay() {
        Backoff longInterval = new Backoff(10 * 60_000);
        long max = 0;
        for (int i = 0; i < 60; i++) {
            max = Math.max(max, longInterval.nextDelayMillis());
        }
        assertTrue(max <= 30_000, "capped at 30 s, jitter included: " + max);
        Backoff tiny = new Backoff(1);
        assertTrue(tiny.nextDelayMillis() <= 750);
    }
}
