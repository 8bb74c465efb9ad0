package dev.mpdiag.sample.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One keep-alive HTTP/1.1 connection of the built-in load generator, driven by its own thread: send a GET, read
 * the status line, headers and body (Content-Length, chunked, or until close), record the latency, repeat. In
 * steady state a request allocates nothing: the request bytes are prepared once, the response is parsed in one
 * reused buffer, and worker header values are matched against the few already seen.
 */
final class LoadConnection implements Runnable {
    /** Latencies are recorded in microseconds up to one minute; longer ones are clamped to it. */
    static final long HIGHEST_TRACKABLE_MICROS = 60_000_000L;
    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final int MAX_STATUS = 600;
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] WORKER = bytes("x-mpdiag-worker");
    private static final byte[] CHUNKED = bytes("chunked");
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");

    private final InetSocketAddress address;
    private final byte[] request;
    private final LoadWindow window;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private int lineStart;
    private int lineEnd;

    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;

    // Per response, set while parsing.
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean keepAlive;
    private int workerSlot;

    // Results, read by the generator after this thread has ended.
    final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final long[] statusCounts = new long[MAX_STATUS];
    private long otherStatus;
    private long errors;
    private byte[][] workerValues = new byte[8][];
    private long[] workerCounts = new long[8];
    private int workers;

    /**
     * Open loop: send at intended times start + k x interval (0: closed loop, send as soon as the answer came),
     * latency counted from the intended time, so a stall shows in the latency of every request it held back
     * (no coordinated omission).
     */
    private long intervalNanos;
    private long nextSendNanos;

    void paced(long firstSendNanos, long intervalNanos) {
        this.nextSendNanos = firstSendNanos;
        this.intervalNanos = intervalNanos;
    }

    LoadConnection(InetSocketAddress address, String hostHeader, String path, LoadWindow window) {
        this.address = address;
        this.request = bytes("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nUser-Agent: mpdiag-bench\r\nAccept: */*\r\n\r\n");
        this.window = window;
    }

    @Override
    public void run() {
        int consecutiveErrors = 0;
        while (!window.stopped()) {
            try {
                if (socket == null) {
                    connect();
                }
                long start = System.nanoTime();
                if (intervalNanos > 0) {
                    while (start < nextSendNanos && !window.stopped()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(nextSendNanos - start);
                        start = System.nanoTime();
                    }
                    start = nextSendNanos;
                    nextSendNanos += intervalNanos;
                }
                out.write(request);
                readResponse();
                long end = System.nanoTime();
                if (window.contains(end)) {
                    record(start, end);
                }
                if (!keepAlive) {
                    closeQuietly();
                }
                consecutiveErrors = 0;
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                if (window.stopped()) {
                    break;
                }
                if (window.contains(System.nanoTime())) {
                    errors++;
                }
                // A refused or resetting server must not turn this thread into a spin loop.
                consecutiveErrors++;
                pause(Math.min(100, 1L << Math.min(consecutiveErrors, 7)));
            }
        }
        closeQuietly();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        socket = s;
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(address, CONNECT_TIMEOUT_MS);
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
    }

    private void record(long start, long end) {
        long micros = (end - start) / 1000;
        histogram.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
        if (status >= 0 && status < MAX_STATUS) {
            statusCounts[status]++;
        } else {
            otherStatus++;
        }
        if (workerSlot >= 0) {
            workerCounts[workerSlot]++;
        }
    }

    private void readResponse() throws IOException {
        readLine();
        parseStatusLine();
        contentLength = -1;
        chunked = false;
        workerSlot = -1;
        while (true) {
            readLine();
            if (lineEnd == lineStart) {
                break;
            }
            parseHeader();
        }
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return;
        }
        if (chunked) {
            readChunkedBody();
        } else if (contentLength >= 0) {
            skip(contentLength);
        } else {
            // No length and not chunked: the body runs until the server closes the connection.
            keepAlive = false;
            while (fill() > 0) {
                pos = limit;
            }
        }
    }

    private void parseStatusLine() throws IOException {
        // "HTTP/1.1 200 OK": version at 0..7, status at 9..11.
        int len = lineEnd - lineStart;
        if (len < 12 || buf[lineStart] != 'H' || buf[lineStart + 4] != '/' || buf[lineStart + 8] != ' ') {
            throw new IOException("malformed status line");
        }
        int s = 0;
        for (int i = lineStart + 9; i < lineStart + 12; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new IOException("malformed status code");
            }
            s = s * 10 + d;
        }
        status = s;
        // HTTP/1.1 keeps the connection by default, HTTP/1.0 closes it unless told otherwise.
        keepAlive = buf[lineStart + 7] == '1';
    }

    private void parseHeader() throws IOException {
        int colon = lineStart;
        while (colon < lineEnd && buf[colon] != ':') {
            colon++;
        }
        if (colon == lineEnd) {
            throw new IOException("malformed header line");
        }
        int vs = colon + 1;
        int ve = lineEnd;
        while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
            ve--;
        }
        if (equalsIgnoreCase(lineStart, colon, CONTENT_LENGTH)) {
            contentLength = parseNumber(vs, ve, 10);
        } else if (equalsIgnoreCase(lineStart, colon, TRANSFER_ENCODING)) {
            chunked = endsWithIgnoreCase(vs, ve, CHUNKED);
        } else if (equalsIgnoreCase(lineStart, colon, CONNECTION)) {
            if (equalsIgnoreCase(vs, ve, CLOSE)) {
                keepAlive = false;
            } else if (equalsIgnoreCase(vs, ve, KEEP_ALIVE)) {
                keepAlive = true;
            }
        } else if (equalsIgnoreCase(lineStart, colon, WORKER)) {
            workerSlot = workerSlot(vs, ve);
        }
    }

    private void readChunkedBody() throws IOException {
        while (true) {
            readLine();
            int end = lineStart;
            while (end < lineEnd && buf[end] != ';' && buf[end] != ' ') {
                end++;
            }
            long size = parseNumber(lineStart, end, 16);
            if (size == 0) {
                // Trailer fields, if any, end with an empty line.
                do {
                    readLine();
                } while (lineEnd != lineStart);
                return;
            }
            skip(size);
            readLine();
            if (lineEnd != lineStart) {
                throw new IOException("malformed chunk end");
            }
        }
    }

    /** Reads up to the next CRLF; the line (without CRLF) is buf[lineStart, lineEnd). */
    private void readLine() throws IOException {
        int scan = pos;
        while (true) {
            for (; scan + 1 < limit; scan++) {
                if (buf[scan] == '\r' && buf[scan + 1] == '\n') {
                    lineStart = pos;
                    lineEnd = scan;
                    pos = scan + 2;
                    return;
                }
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                scan -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                throw new IOException("response line longer than " + buf.length + " bytes");
            }
            if (fill() < 0) {
                throw new EOFException("connection closed mid-response");
            }
        }
    }

    /** Reads more bytes after limit; returns the count or -1 at end of stream. */
    private int fill() throws IOException {
        if (limit == buf.length) {
            if (pos < limit) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
            }
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            int available = limit - pos;
            if (available == 0) {
                pos = 0;
                limit = 0;
                if (fill() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                continue;
            }
            int take = (int) Math.min(n, available);
            pos += take;
            n -= take;
        }
    }

    private long parseNumber(int from, int to, int radix) throws IOException {
        if (from >= to || to - from > 15) {
            throw new IOException("malformed number in response");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(buf[i], radix);
            if (d < 0) {
                throw new IOException("malformed number in response");
            }
            v = v * radix + d;
        }
        return v;
    }

    private int workerSlot(int from, int to) {
        for (int i = 0; i < workers; i++) {
            if (Arrays.equals(workerValues[i], 0, workerValues[i].length, buf, from, to)) {
                return i;
            }
        }
        if (workers == workerValues.length) {
            workerValues = Arrays.copyOf(workerValues, workers * 2);
            workerCounts = Arrays.copyOf(workerCounts, workers * 2);
        }
        workerValues[workers] = Arrays.copyOfRange(buf, from, to);
        return workers++;
    }

    private boolean equalsIgnoreCase(int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int b = buf[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean endsWithIgnoreCase(int from, int to, byte[] lower) {
        return to - from >= lower.length && equalsIgnoreCase(to - lower.length, to, lower);
    }

    /** Unblocks a read in progress; called by the generator at the end of the run. */
    void closeQuietly() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }

    long errors() {
        return errors;
    }

    void addStatusCounts(Map<Integer, Long> into) {
        for (int s = 0; s < MAX_STATUS; s++) {
            if (statusCounts[s] > 0) {
                into.merge(s, statusCounts[s], Long::sum);
            }
        }
        if (otherStatus > 0) {
            into.merge(-1, otherStatus, Long::sum);
        }
    }

    void addWorkerCounts(Map<String, Long> into) {
        for (int i = 0; i < workers; i++) {
            if (workerCounts[i] > 0) {
                into.merge(new String(workerValues[i], StandardCharsets.ISO_8859_1), workerCounts[i], Long::sum);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
