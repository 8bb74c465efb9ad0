package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static final LoadSpec SHORT = new LoadSpec(4, Duration.ofMillis(800), Duration.ofMillis(200), 1);

    @Test
    void countsRequestsLatenciesStatusesAndWorkers() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadResult r = new LoadGenerator().run(LoopbackTarget.parse(server.url("/hello")), SHORT, WindowObserver.NONE);
            assertTrue(r.requests() > 0, r.toLine());
            assertTrue(r.qps() > 0, r.toLine());
            assertEquals(0, r.errors(), r.toLine());
            assertEquals(0, r.non2xx(), r.toLine());
            assertTrue(r.p50Ms() <= r.p90Ms() && r.p90Ms() <= r.p99Ms() && r.p99Ms() <= r.maxMs(), r.toLine());
            assertTrue(r.meanMs() > 0 && r.meanMs() <= r.maxMs(), r.toLine());
            assertEquals(Map.of(200, r.requests()), r.statusCounts());
            // The JDK server spells the header "X-mpdiag-worker": names must match whatever their case.
            assertEquals(Set.of(TestServer.WORKER_0, TestServer.WORKER_1), r.workerCounts().keySet(), r.toLine());
            assertEquals(r.requests(), r.workerCounts().values().stream().mapToLong(Long::longValue).sum());
            // Warm-up requests were served but not counted.
            assertTrue(server.served.get() > r.requests(), server.served.get() + " served, " + r.requests() + " counted");
            assertTrue(r.loadgenCpuPercent() > 0, r.toLine());
        }
    }

    @Test
    void aFixedRateSendsThatManyRequests() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadSpec paced = new LoadSpec(4, Duration.ofSeconds(2), Duration.ofMillis(200), 1, 40);
            LoadResult r = new LoadGenerator().run(LoopbackTarget.parse(server.url("/hello")), paced, WindowObserver.NONE);
            // Paced at 40/s (under what 4 connections get from this server closed-loop), 2 s is 80 requests.
            assertTrue(r.requests() >= 72 && r.requests() <= 88, r.toLine());
            assertEquals(0, r.errors(), r.toLine());
        }
    }

    @Test
    void aFixedRateCountsAStallInTheLatencyOfEveryRequestItHeldBack() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadSpec paced = new LoadSpec(2, Duration.ofSeconds(2), Duration.ZERO, 1, 100);
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LoadGenerator().run(LoopbackTarget.parse(server.url("/hello")), paced, WindowObserver.NONE);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(700);
            server.stallFor(Duration.ofMillis(500));
            LoadResult r = run.get(30, TimeUnit.SECONDS);
            // About 50 of the 200 requests were due during the stall, waiting 0-500 ms from their send times: a
            // closed loop would show it in the 2 that were in flight only (and send nothing meanwhile).
            assertTrue(r.maxMs() >= 400, "the stall's full length: " + r.toLine());
            assertTrue(r.p90Ms() >= 100, "a tenth of the requests waited over 100 ms: " + r.toLine());
            // The requests held back are sent at once when it ends: the rate is kept.
            assertTrue(r.requests() >= 180 && r.requests() <= 220, r.toLine());
            assertEquals(100, r.offeredQps(), r.toLine());
            assertEquals(0, r.errors(), r.toLine());
        }
    }

    @Test
    void readsChunkedBodies() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadResult r = new LoadGenerator().run(LoopbackTarget.parse(server.url("/chunked")), SHORT,
                    WindowObserver.NONE);
            assertTrue(r.requests() > 0, r.toLine());
            assertEquals(0, r.errors(), r.toLine());
        }
    }

    @Test
    void reconnectsWhenTheServerClosesAfterEachResponse() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadResult r = new LoadGenerator().run(LoopbackTarget.parse(server.url("/close")), SHORT,
                    WindowObserver.NONE);
            assertTrue(r.requests() > 0, r.toLine());
            assertEquals(0, r.errors(), r.toLine());
        }
    }

    @Test
    void countsNon2xxApartFromErrors() throws Exception {
        try (TestServer server = new TestServer()) {
            LoadResult r = new LoadGenerator().run(LoopbackTarget.parse(server.url("/unavailable")), SHORT,
                    WindowObserver.NONE);
            assertTrue(r.requests() > 0, r.toLine());
            assertEquals(r.requests(), r.non2xx(), r.toLine());
            assertEquals(Map.of(503, r.requests()), r.statusCounts());
            assertEquals(0, r.errors(), r.toLine());
        }
    }

    @Test
    void countsErrorsWhenTheServerStopsMidRun() throws Exception {
        TestServer server = new TestServer();
        LoadSpec spec = new LoadSpec(4, Duration.ofMillis(2000), Duration.ZERO, 1);
        CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new LoadGenerator().run(LoopbackTarget.parse(server.url("/hello")), spec, WindowObserver.NONE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(700);
        long servedBeforeStop = server.served.get();
        server.close();
        LoadResult r = run.get(30, TimeUnit.SECONDS);
        assertTrue(servedBeforeStop > 0, "server answered nothing before it stopped");
        assertTrue(r.requests() > 0, r.toLine());
        assertTrue(r.errors() > 0, "refused connections after the stop must count as errors: " + r.toLine());
    }

    @Test
    void tellsTheObserverWhenTheWindowOpensAndCloses() throws Exception {
        try (TestServer server = new TestServer()) {
            long[] times = new long[2];
            WindowObserver observer = new WindowObserver() {
                @Override
                public void windowStarted() {
                    times[0] = System.nanoTime();
                }

                @Override
                public void windowEnded() {
                    times[1] = System.nanoTime();
                }
            };
            long begin = System.nanoTime();
            new LoadGenerator().run(LoopbackTarget.parse(server.url("/hello")), SHORT, observer);
            assertTrue(times[0] - begin >= SHORT.warmup().toNanos(), "window opened before the warm-up ended");
            assertTrue(times[1] - times[0] >= SHORT.duration().toNanos(), "window shorter than the duration");
        }
    }

    @Test
    void refusesHostsOtherThanLoopback() {
        for (String url : new String[] {"http://10.0.0.1:8080/", "http://localhost:8080/", "http://example.com/",
                "http://128.0.0.1:80/", "http://127.0.0.256:80/", "https://127.0.0.1:443/"}) {
            assertThrows(IllegalArgumentException.class, () -> LoopbackTarget.parse(url), url);
        }
        LoopbackTarget t = LoopbackTarget.parse("http://127.0.0.1:8080/api/work?n=3");
        assertEquals(8080, t.port());
        assertEquals("/api/work?n=3", t.path());
        assertEquals("/", LoopbackTarget.parse("http://127.0.0.1:9").path());
        assertThrows(IllegalArgumentException.class, () -> new LoopbackTarget("192.168.1.1", 80, "/"));
    }
}
