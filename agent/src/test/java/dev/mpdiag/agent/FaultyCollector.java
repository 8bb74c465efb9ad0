package dev.mpdiag.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A collector stand-in on a fixed loopback port that misbehaves on demand, switchable at run time: absent (the
 * port is closed, open connections are cut: a collector not started yet, or killed), ok (reads the body and
 * answers 200), hang (accepts and reads the headers, then neither reads the body nor answers until the mode
 * changes, like a frozen process that thaws), 500 (reads the body, answers 500), 413 (answers 413 from the
 * headers, before reading the body, as the real collector does with a body over its limit, and closes) and slow
 * (reads the body at about 1 KB/s; a request being read speeds up when the mode changes). Plain sockets, so each
 * fault is exactly what the agent's HTTP client meets on the wire. Also runs on its own for
 * bench/agent-faults.sh ({@link #main}).
 */
final class FaultyCollector implements AutoCloseable {

    enum Mode {
        ABSENT("absent"), OK("ok"), HANG("hang"), ERROR_500("500"), TOO_LARGE_413("413"), SLOW("slow");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("no mode " + label + " (absent, ok, hang, 500, 413, slow)");
        }
    }

    static final int SLOW_BYTES_PER_SECOND = 1024;
    private static final int SLOW_STEP_BYTES = 256;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    // Bounds every read, so no handler thread outlives a test by much even if a client just sits there.
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /** A request the collector saw, whatever came of it. {@code outcome}: the status answered, or -1 (cut off). */
    record Attempt(long pid, long seq, Mode mode, long startMillis, long endMillis, int outcome, String health) {
    }

    /** An acknowledged upload: body read whole, 200 sent. */
    record Ack(long pid, long seq, long bytes, long millis, String health, boolean isFinal) {
    }

    private final int port;
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<Ack> acks = new ArrayList<>();
    private final Set<Socket> open = new HashSet<>();
    private long connections;
    private volatile Mode mode;
    private volatile long modeSinceMillis;
    private ServerSocket listener;
    private boolean closed;

    private FaultyCollector(int port, Mode initial) throws IOException {
        this.port = port;
        mode(initial);
    }

    /** Starts on a free loopback port in {@code initial} mode (absent: the port is reserved, nothing listens). */
    static FaultyCollector start(Mode initial) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return new FaultyCollector(port, initial);
    }

    static FaultyCollector start(int port, Mode initial) throws IOException {
        return new FaultyCollector(port, initial);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Mode mode() {
        return mode;
    }

    /** When the current mode began (epoch ms). */
    long modeSinceMillis() {
        return modeSinceMillis;
    }

    /** Switches the fault; returns the switch time (epoch ms). Absent closes the port and cuts every connection. */
    synchronized long mode(Mode m) throws IOException {
        mode = m;
        modeSinceMillis = System.currentTimeMillis();
        if (m == Mode.ABSENT) {
            closeListener();
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        } else if (listener == null && !closed) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true); // the port was ours a moment ago; its connections may sit in TIME_WAIT
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = s;
            daemon(() -> acceptLoop(s), "faulty-collector-accept").start();
        }
        notifyAll(); // a hanging request looks at the mode again
        return modeSinceMillis;
    }

    /** Connections accepted so far. */
    synchronized long connections() {
        return connections;
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** The first acknowledgement for {@code pid} at or after {@code sinceMillis}, waiting up to {@code timeoutMillis}. */
    synchronized Ack awaitAck(long pid, long sinceMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (Ack a : acks) {
                if (a.pid == pid && a.millis >= sinceMillis) {
                    return a;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket c;
            try {
                c = s.accept();
            } catch (IOException e) {
                return; // closed: absent, or the end
            }
            synchronized (this) {
                if (mode == Mode.ABSENT || closed) {
                    closeQuietly(c);
                    continue;
                }
                open.add(c);
                connections++;
            }
            daemon(() -> serve(c), "faulty-collector-conn").start();
        }
    }

    /** One request per connection (every answer says Connection: close). */
    private void serve(Socket s) {
        long start = System.currentTimeMillis();
        long pid = -1;
        long seq = -1;
        String health = "";
        Mode m = mode;
        int outcome = -1;
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(s.getInputStream(), SLOW_STEP_BYTES);
            Map<String, String> head = readHead(in);
            if (head == null) {
                return;
            }
            pid = number(head.get("x-mpdiag-pid"));
            seq = number(head.get("x-mpdiag-seq"));
            health = head.getOrDefault("x-mpdiag-health", "");
            long length = number(head.get("content-length"));
            m = awaitNotHanging();
            OutputStream out = s.getOutputStream();
            if (m == Mode.ABSENT) {
                return; // cut off while hanging
            }
            if (m == Mode.TOO_LARGE_413) {
                outcome = answer(out, 413, "{\"error\":\"too large\",\"detail\":\"body of " + length
                        + " bytes is over the limit of 1 bytes\"}");
                return;
            }
            long read = readBody(in, length);
            if (read < length) {
                return; // the client gave up (or was cut off) before sending it all
            }
            if (mode == Mode.ABSENT) {
                return;
            }
            if (m == Mode.ERROR_500) {
                outcome = answer(out, 500, "{\"error\":\"internal\",\"detail\":\"the stand-in says 500\"}");
                return;
            }
            outcome = answer(out, 200, "{\"seq\":" + seq + ",\"stored\":true,\"bytes\":" + read + "}");
            synchronized (this) {
                acks.add(new Ack(pid, seq, read, System.currentTimeMillis(), health,
                        "true".equals(head.get("x-mpdiag-final"))));
                notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or the mode cut the connection: the attempt below says -1
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                open.remove(s);
                attempts.add(new Attempt(pid, seq, m, start, System.currentTimeMillis(), outcome, health));
            }
        }
    }

    /** The mode to serve by: waits while it is hang. */
    private synchronized Mode awaitNotHanging() throws InterruptedException {
        while (mode == Mode.HANG && !closed) {
            wait(1_000);
        }
        return mode;
    }

    /** Reads {@code length} bytes, at about 1 KB/s while the mode is slow; returns how many it got. */
    private long readBody(InputStream in, long length) throws IOException, InterruptedException {
        byte[] buf = new byte[64 * 1024];
        long read = 0;
        while (read < length) {
            boolean slow = mode == Mode.SLOW;
            int want = (int) Math.min(slow ? SLOW_STEP_BYTES : buf.length, length - read);
            int n = in.read(buf, 0, want);
            if (n < 0) {
                break;
            }
            read += n;
            if (slow) {
                TimeUnit.MILLISECONDS.sleep(1_000L * n / SLOW_BYTES_PER_SECOND);
            }
        }
        return read;
    }

    private static int answer(OutputStream out, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 413 -> "Payload Too Large";
            default -> "Server Error";
        };
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return status;
    }

    /** The request line and headers (names lower case), or null when the connection closed first. */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
            }
        }
        Map<String, String> headers = new TreeMap<>();
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static long number(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void closeListener() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is all we wanted
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeListener();
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
        notifyAll();
    }

    /**
     * Runs on its own: {@code --port P --mode M [--control FILE]}. The control file, when given, holds the mode
     * to switch to (absent, ok, hang, 500, 413, slow); it is read every 100 ms. Each switch prints one line with
     * what the mode before it saw: connections accepted and uploads acknowledged.
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        Mode initial = Mode.OK;
        Path control = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--mode" -> initial = Mode.of(args[i + 1]);
                case "--control" -> control = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FaultyCollector c = port == 0 ? start(initial) : start(port, initial);
        System.out.println("faulty-collector url=" + c.url() + " mode=" + initial.label);
        long seenConnections = 0;
        int seenAcks = 0;
        while (true) {
            Thread.sleep(100);
            if (control == null || !Files.isRegularFile(control)) {
                continue;
            }
            String text = Files.readString(control).trim();
            if (text.isEmpty() || text.equals(c.mode().label)) {
                continue;
            }
            Mode next = Mode.of(text);
            Mode before = c.mode();
            long since = c.modeSinceMillis();
            c.mode(next);
            long connections = c.connections();
            List<Ack> ok = c.acks();
            long bytes = 0;
            for (Ack a : ok.subList(seenAcks, ok.size())) {
                bytes += a.bytes;
            }
            System.out.println("faulty-collector " + before.label + " -> " + next.label + " after "
                    + (System.currentTimeMillis() - since) / 1000 + " s: " + (connections - seenConnections)
                    + " connections, " + (ok.size() - seenAcks) + " uploads acknowledged (" + bytes + " bytes)");
            seenConnections = connections;
            seenAcks = ok.size();
        }
    }
}
