package dev.mpdiag.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.Http;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the API, as a dashboard would, for each acknowledged upload's data: GET /api/v1/series for the upload's
 * own process, from the time of its last point, until that point is served. That moment is when the upload
 * became visible. Runs on its own threads so the simulated senders, like real agents, never wait for it.
 */
final class VisibilityWatch implements AutoCloseable {
    private static final long POLL_MILLIS = 50;
    /**
     * Past a second unseen, polls slow to this: a lagging collector otherwise gets 20 queries per second per
     * pending upload, its own lag grows with them, and the figures measure the watcher more than the ingest.
     */
    private static final long SLOW_POLL_MILLIS = 250;

    private final Http http;
    private final long giveUpNanos;
    private final ExecutorService pool;
    private final int every;
    private final AtomicLong offered = new AtomicLong();
    final AtomicLong queries = new AtomicLong();
    final AtomicInteger errors = new AtomicInteger();

    /**
     * giveUpMillis: how long after its acknowledgement an upload may take to show before it counts as never
     * visible. every: watch one acknowledged upload in that many (1: all), so that the queries' own cost on the
     * collector can be taken out of a run that measures ingest.
     */
    VisibilityWatch(int port, int threads, long giveUpMillis, int every) {
        this.http = new Http(port);
        this.giveUpNanos = giveUpMillis * 1_000_000L;
        this.every = every;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "soak-viewer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void watch(UploadRecord r) {
        if (offered.getAndIncrement() % every != 0) {
            return;
        }
        r.watched = true;
        try {
            pool.execute(() -> poll(r));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the run is over (or was cut short): the upload stays not visible
        }
    }

    private void poll(UploadRecord r) {
        String q = "/api/v1/series?metric=" + Http.enc(r.metric) + "&process=" + Http.enc(r.process)
                + "&from=" + r.lastPointMillis;
        try {
            while (System.nanoTime() - r.ackNanos < giveUpNanos) {
                queries.incrementAndGet();
                Http.Reply reply = http.get(q);
                long answered = System.nanoTime();
                if (reply.status() == 200 && served(reply.json(), r.lastPointMillis)) {
                    r.visibleNanos = answered;
                    return;
                }
                if (reply.status() != 200) {
                    errors.incrementAndGet();
                }
                Thread.sleep(System.nanoTime() - r.ackNanos < 1_000_000_000L ? POLL_MILLIS : SLOW_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    private static boolean served(JsonNode body, long pointMillis) {
        for (JsonNode s : body.get("series")) {
            for (JsonNode p : s.get("points")) {
                if (p.get(0).asLong() >= pointMillis) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Waits for the watches under way (each ends by itself within giveUpMillis). */
    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(giveUpNanos / 1_000_000L + 30_000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }
}
