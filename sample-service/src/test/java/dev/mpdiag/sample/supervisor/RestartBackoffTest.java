package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestartBackoffTest {
    @Test
    void doublesBetweenQuickDeathsThenGivesUpOnACrashLoop() {
        RestartBackoff b = new RestartBackoff();
        long now = 0;
        long[] expected = {500, 1000, 2000, 4000, 8000};
        for (long delay : expected) {
            assertEquals(delay, b.nextDelayMillis(now, 100));
            now += delay + 100;
        }
        // a sixth restart within 60 s is a crash loop
        assertEquals(RestartBackoff.GIVE_UP, b.nextDelayMillis(now, 100));
    }

    @Test
    void capsTheDelay() {
        RestartBackoff b = new RestartBackoff(500, 10_000, 30_000, 100, 60_000);
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = b.nextDelayMillis(i * 100_000L, 100);
        }
        assertEquals(10_000, last);
    }

    @Test
    void aWorkerThatRanLongStartsTheBackoffOver() {
        RestartBackoff b = new RestartBackoff();
        assertEquals(500, b.nextDelayMillis(0, 100));
        assertEquals(1000, b.nextDelayMillis(1_000, 100));
        assertEquals(500, b.nextDelayMillis(200_000, 60_000));
    }

    @Test
    void restartsOutsideTheWindowDoNotCount() {
        RestartBackoff b = new RestartBackoff(500, 10_000, 30_000, 2, 60_000);
        assertEquals(500, b.nextDelayMillis(0, 100));
        assertEquals(1000, b.nextDelayMillis(1_000, 100));
        assertEquals(RestartBackoff.GIVE_UP, b.nextDelayMillis(3_000, 100));
        // once the two restarts are more than 60 s old, a restart is allowed again
        assertEquals(2000, b.nextDelayMillis(70_000, 100));
    }
}
