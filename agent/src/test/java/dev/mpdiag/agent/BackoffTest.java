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
        for (int i = 0; i < 40; i++) {
            max = Math.max(max, b.nextDelayMillis());
        }
        assertTrue(max <= 7_500, "never past the interval plus jitter: " + max);
        assertTrue(max >= 2_500, "it does grow: " + max);
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
        assertTrue(max <= 45_000, "capped at 30 s plus jitter: " + max);
        Backoff tiny = new Backoff(1);
        assertTrue(tiny.nextDelayMillis() <= 750);
    }
}
