package dev.mpdiag.sample.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A collector that fails in one way for the whole of a cost run, on loopback: {@code absent} (nothing listens on
 * the port), {@code hang} (accepts and never answers), {@code 500} (reads each upload and answers 500) or
 * {@code slow} (reads at 1 KB/s and never answers). What the agent's retries, timeouts and spool cost the host is
 * then measured like any other configuration.
 */
final class BrokenCollector implements AutoCloseable {
    static final List<String> MODES = List.of("absent", "hang", "500", "slow");
    private static final int SLOW_BYTES_PER_SECOND = 1024;

    private final String mode;
    private final ServerSocket server;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private BrokenCollector(String mode) throws IOException {
        this.mode = mode;
        if (mode.equals("absent")) {
            // A port that was free a moment ago and that nothing listens on: every connect is refused.
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            server = null;
            return;
        }
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        Thread t = new Thread(this::accept, "cost-broken-collector-" + mode);
        t.setDaemon(true);
        t.start();
    }

    static BrokenCollector start(String mode) throws IOException {
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("collector fault must be one of " + MODES + ", got " + mode);
        }
        return new BrokenCollector(mode);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "cost-broken-collector-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[mode.equals("slow") ? SLOW_BYTES_PER_SECOND : 64 * 1024];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            switch (mode) {
                case "hang" -> {
                    while (!closed && in.read(buf) >= 0) {
                        // take the bytes, answer nothing
                    }
                }
                case "slow" -> {
                    while (!closed && in.read(buf) >= 0) {
                        Thread.sleep(1000);
                    }
                }
                default -> answer500(in, out, buf);
            }
        } catch (IOException | InterruptedException e) {
            // the agent gave up on the connection, or we are closing
        } finally {
            open.remove(s);
        }
    }

    /** Reads each request (headers, then Content-Length bytes) and answers 500, on a keep-alive connection. */
    private void answer500(InputStream in, OutputStream out, byte[] buf) throws IOException {
        while (!closed) {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            if (c < 0) {
                return;
            }
            long length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            while (length > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length));
                if (n < 0) {
                    return;
                }
                length -= n;
            }
            byte[] body = "collector fault: 500\n".getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
