package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WrkRunnerTest {
    private static final LoadSpec ONE_SECOND = new LoadSpec(4, Duration.ofSeconds(1), Duration.ZERO, 1);

    private static Path wrk() {
        Optional<Path> wrk = WrkRunner.find();
        if (wrk.isEmpty()) {
            System.out.println("WrkRunnerTest: wrk is not on the PATH, skipping the real wrk runs (bin/test installs it)");
        }
        Assumptions.assumeTrue(wrk.isPresent(), "wrk not installed");
        return wrk.get();
    }

    @Test
    void parsesARealWrkRun() throws Exception {
        Path wrk = wrk();
        try (TestServer server = new TestServer()) {
            LoadResult r = new WrkRunner(wrk).run(LoopbackTarget.parse(server.url("/hello")), ONE_SECOND,
                    WindowObserver.NONE);
            assertEquals("wrk", r.generator());
            assertTrue(r.requests() > 0, r.toLine());
            assertTrue(r.requests() <= server.served.get(), r.requests() + " reported, " + server.served.get() + " served");
            assertTrue(r.qps() > 0, r.toLine());
            assertTrue(r.durationSeconds() > 0.5 && r.durationSeconds() < 5, r.toLine());
            assertTrue(r.meanMs() > 0, r.toLine());
            assertTrue(r.p50Ms() <= r.p90Ms() && r.p90Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs(), r.toLine());
            assertEquals(0, r.errors(), r.toLine());
            assertEquals(0, r.non2xx(), r.toLine());
            // Measured (from reaped-children CPU), though a light run may take under one 10 ms clock tick.
            assertFalse(Double.isNaN(r.loadgenCpuPercent()), "wrk's CPU share was not measured");
            assertTrue(r.loadgenCpuPercent() >= 0 && r.loadgenCpuPercent() < 400, r.toLine());
        }
    }

    @Test
    void parsesNon2xxFromARealWrkRun() throws Exception {
        Path wrk = wrk();
        try (TestServer server = new TestServer()) {
            LoadResult r = new WrkRunner(wrk).run(LoopbackTarget.parse(server.url("/unavailable")), ONE_SECOND,
                    WindowObserver.NONE);
            assertTrue(r.requests() > 0, r.toLine());
            assertEquals(r.requests(), r.non2xx(), r.toLine());
        }
    }

    @Test
    void failsClearlyWhenNothingListens() throws Exception {
        Path wrk = wrk();
        int port = SeedTable.freePort();
        assertThrows(java.io.IOException.class, () -> new WrkRunner(wrk).run(
                new LoopbackTarget("127.0.0.1", port, "/"), ONE_SECOND, WindowObserver.NONE));
    }

    @Test
    void convertsWrkTimeUnits() {
        assertEquals(456.0, WrkRunner.parseTimeMicros("456.00us"), 1e-9);
        assertEquals(1500.0, WrkRunner.parseTimeMicros("1.50ms"), 1e-9);
        assertEquals(2_000_000.0, WrkRunner.parseTimeMicros("2.00s"), 1e-9);
        assertEquals(60_000_000.0, WrkRunner.parseTimeMicros("1.00m"), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> WrkRunner.parseTimeMicros("12.3k"));
    }
}
