package dev.mpdiag.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP collector stand-in on a loopback port: records every ingest upload (headers and body) and
 * answers 200, 500, 400, or never, as the test sets it.
 */
final class Receiver implements AutoCloseable {

    enum Mode { OK, FAIL, REJECT, HANG, BUSY }

    /** One acknowledged upload. Header names are lower case. */
    record Upload(Map<String, String> headers, byte[] body, long receivedMillis) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        long seq() {
            return Long.parseLong(header("X-Mpdiag-Seq"));
        }

        boolean isFinal() {
            return "true".equals(header("X-Mpdiag-Final"));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Upload> uploads = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<Long> attemptMillis = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;

    private Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/v1/ingest", this::handle);
        server.start();
    }

    static Receiver start() throws IOException {
        return new Receiver(0);
    }

    static Receiver start(int port) throws IOException {
        return new Receiver(port);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void mode(Mode m) {
        mode = m;
    }

    int attempts() {
        return attempts.get();
    }

    /** When each attempt arrived (epoch ms), acknowledged or not. */
    synchronized List<Long> attemptMillis() {
        return List.copyOf(attemptMillis);
    }

    synchronized List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** Waits until some upload matches; returns whether one did in time. */
    synchronized boolean await(Predicate<List<Upload>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(uploads)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        attempts.incrementAndGet();
        synchronized (this) {
            attemptMillis.add(System.currentTimeMillis());
        }
        try (exchange) {
            Mode m = mode;
            if (m == Mode.HANG) {
                try {
                    closed.await(120, TimeUnit.SECONDS); // never read, never answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (m == Mode.FAIL) {
                answer(exchange, 500, "{\"error\":\"test says fail\"}");
                return;
            }
            if (m == Mode.BUSY) {
                exchange.getResponseHeaders().set("Retry-After", "2");
                answer(exchange, 429, "{\"error\":\"busy\",\"detail\":\"test says busy\"}");
                return;
            }
            if (m == Mode.REJECT) {
                answer(exchange, 400, "{\"error\":\"bad\",\"detail\":\"test says reject\"}");
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Upload u = new Upload(headers, body, System.currentTimeMillis());
            synchronized (this) {
                uploads.add(u);
                notifyAll();
            }
            answer(exchange, 200, "{\"seq\":" + u.header("X-Mpdiag-Seq") + ",\"stored\":true,\"bytes\":"
                    + body.length + "}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
