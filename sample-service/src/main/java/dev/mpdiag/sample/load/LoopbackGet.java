package dev.mpdiag.sample.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One GET on a fresh loopback connection, closed afterwards. Used to poll a starting service: a fresh connection each
 * time lets the kernel's SO_REUSEPORT hashing pick any worker, so the probes see every worker that is up.
 */
final class LoopbackGet {
    private static final int TIMEOUT_MS = 2_000;
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    /** Status code, the X-Mpdiag-Worker header (or null) and the body. */
    record Response(int status, String worker, String body) {
    }

    private LoopbackGet() {
    }

    static Response get(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\nUser-Agent: mpdiag-bench\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(s.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = in.read(b)) > 0) {
            all.write(b, 0, n);
            if (all.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        return all.toByteArray();
    }

    static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0 || text.length() < 12) {
            throw new IOException("malformed HTTP response");
        }
        int status;
        try {
            status = Integer.parseInt(text.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line");
        }
        String worker = null;
        boolean chunked = false;
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-mpdiag-worker")) {
                worker = value;
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if (chunked) {
            body = dechunk(body);
        }
        return new Response(status, worker, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOfCrlf(chunked, i);
            if (lineEnd < 0) {
                throw new IOException("malformed chunked body");
            }
            String sizeText = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1);
            int semi = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size");
            }
            i = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (i + size > chunked.length) {
                throw new IOException("truncated chunked body");
            }
            out.write(chunked, i, size);
            i += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
