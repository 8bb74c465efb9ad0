package dev.mpdiag.sample.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP load on 127.0.0.1 from a few client threads, each request on a new connection so the
 * kernel picks a worker for every one (a killed worker then fails only what it held). Counts answered
 * requests by who answered and failed ones by how they failed; stops by itself at its deadline, or on
 * {@link #close}.
 */
final class Traffic implements AutoCloseable {
    /** Nobody listened: the connection was refused. */
    static final String REFUSED = "refused";
    /** Connected, then closed or reset before any byte of an answer. */
    static final String NO_ANSWER = "no answer";
    /** An answer began and was cut short: fewer bytes than its Content-Length, or a reset midway. */
    static final String CUT_SHORT = "cut short";
    static final String TIMED_OUT = "timed out";
    /** An answer that does not parse as HTTP. */
    static final String BAD_ANSWER = "bad answer";

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 5_000;

    /** Requests answered and failed up to one moment: answered by worker ("index/pid"), failed by kind. */
    record Counts(Map<String, Long> byWorker, Map<String, Long> failures) {
        long ok() {
            return sum(byWorker);
        }

        long failed() {
            return sum(failures);
        }

        long failed(String kind) {
            return failures.getOrDefault(kind, 0L);
        }

        Counts minus(Counts before) {
            return new Counts(diff(byWorker, before.byWorker), diff(failures, before.failures));
        }

        private static long sum(Map<String, Long> m) {
            long n = 0;
            for (long v : m.values()) {
                n += v;
            }
            return n;
        }

        private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
            Map<String, Long> out = new TreeMap<>();
            now.forEach((k, n) -> {
                long d = n - before.getOrDefault(k, 0L);
                if (d > 0) {
                    out.put(k, d);
                }
            });
            return out;
        }

        @Override
        public String toString() {
            return ok() + " answered " + byWorker + ", " + failed() + " failed" + (failures.isEmpty() ? "" : " " + failures);
        }
    }

    /** A failed request and how it failed (one of the kinds above). */
    private static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        final String kind;

        Failure(String kind, String detail) {
            super(kind + ": " + detail);
            this.kind = kind;
        }
    }

    private final InetSocketAddress address;
    private final byte[] request;
    private final long deadlineNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicLong> byWorker = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    private Traffic(int port, String path, Duration maxDuration) {
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
    }

    /** Starts {@code clients} threads sending GET {@code path} until {@code maxDuration} has passed. */
    static Traffic start(int port, String path, int clients, Duration maxDuration) {
        Traffic t = new Traffic(port, path, maxDuration);
        for (int i = 0; i < clients; i++) {
            Thread th = new Thread(t::loop, "faults-it-client-" + i);
            th.setDaemon(true);
            t.threads.add(th);
            th.start();
        }
        return t;
    }

    Counts counts() {
        return new Counts(snapshot(byWorker), snapshot(failures));
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, n) -> out.put(k, n.get()));
        return out;
    }

    private void loop() {
        while (!stopped && System.nanoTime() - deadlineNanos < 0) {
            try {
                String worker = get();
                byWorker.computeIfAbsent(worker == null ? "?" : worker, w -> new AtomicLong()).incrementAndGet();
            } catch (Failure e) {
                failures.computeIfAbsent(e.kind, k -> new AtomicLong()).incrementAndGet();
                pause(); // refused while every worker is down: no spin
            } catch (RuntimeException e) {
                failures.computeIfAbsent(BAD_ANSWER, k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** One GET on a new connection: the X-Mpdiag-Worker value of a complete 200 answer, else a Failure. */
    private String get() throws Failure {
        ByteArrayOutputStream response = new ByteArrayOutputStream(512);
        try (Socket s = new Socket()) {
            try {
                s.connect(address, CONNECT_TIMEOUT_MS);
            } catch (ConnectException e) {
                throw new Failure(REFUSED, e.getMessage());
            }
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            // the server closes after the answer (Connection: close)
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                response.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new Failure(TIMED_OUT, e.getMessage());
        } catch (Failure e) {
            throw e;
        } catch (IOException e) {
            throw new Failure(response.size() == 0 ? NO_ANSWER : CUT_SHORT, e.getMessage());
        }
        return parse(response.toByteArray());
    }

    private static String parse(byte[] response) throws Failure {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            throw new Failure(NO_ANSWER, "closed without an answer");
        }
        int headersEnd = text.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            throw new Failure(CUT_SHORT, "headers cut short");
        }
        if (!text.startsWith("HTTP/1.1 200")) {
            // "status 503": a worker that has begun draining refuses new requests this way
            String status = text.length() >= 12 ? text.substring(9, 12) : "?";
            throw new Failure("status " + status, text.lines().findFirst().orElse(""));
        }
        String worker = null;
        long length = -1;
        for (String line : text.substring(0, headersEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon) : "";
            if (name.equalsIgnoreCase("X-Mpdiag-Worker")) {
                worker = line.substring(colon + 1).trim();
            } else if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        long body = response.length - headersEnd - 4L;
        if (length >= 0 && body != length) {
            throw new Failure(CUT_SHORT, body + " of " + length + " bytes");
        }
        return worker;
    }

    private void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Stops the clients and waits briefly for them; a request in flight ends by its own timeouts. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS);
        }
    }
}
