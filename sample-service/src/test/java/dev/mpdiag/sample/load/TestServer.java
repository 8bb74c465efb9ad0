package dev.mpdiag.sample.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on a free loopback port (the JDK's own), standing in for two workers: it alternates the
 * X-Mpdiag-Worker header between "0/100" and "1/200" and counts what it served. {@link #stallFor} holds every
 * answer back for a while, as a server stopped by a long GC pause would.
 */
final class TestServer implements AutoCloseable {
    static final String WORKER_0 = "0/100";
    static final String WORKER_1 = "1/200";
    private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    final AtomicLong served = new AtomicLong();
    /** No answer leaves before this System.nanoTime(). */
    private volatile long stallUntilNanos = System.nanoTime();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(pool);
        server.createContext("/hello", ex -> respond(ex, 200, BODY.length, false));
        // Length 0 makes the JDK server send a chunked body.
        server.createContext("/chunked", ex -> respond(ex, 200, 0, false));
        server.createContext("/unavailable", ex -> respond(ex, 503, BODY.length, false));
        server.createContext("/close", ex -> respond(ex, 200, BODY.length, true));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** From now on, answers wait until the stall is over; requests that arrive meanwhile queue up. */
    void stallFor(Duration stall) {
        stallUntilNanos = System.nanoTime() + stall.toNanos();
    }

    private void respond(HttpExchange ex, int status, long length, boolean close) throws IOException {
        long left;
        while ((left = stallUntilNanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stalled", e);
            }
        }
        long n = served.incrementAndGet();
        ex.getResponseHeaders().set("X-Mpdiag-Worker", n % 2 == 0 ? WORKER_0 : WORKER_1);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (close) {
            ex.getResponseHeaders().set("Connection", "close");
        }
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(BODY);
        }
    }

    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
        pool.shutdownNow();
    }
}
