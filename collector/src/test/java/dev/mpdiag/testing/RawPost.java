package dev.mpdiag.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A POST over a plain socket for uploads past a server's size cap whose body is never sent in full, which
 * java.net.http cannot do (with Expect: 100-continue, JDK 17's client waits forever instead). This sends the
 * headers and at most the part of the body the server reads before refusing, then reads the answer, as the
 * agent's sender does: the collector must answer from what it has, not wait for the rest.
 */
public final class RawPost {
    private RawPost() {
    }

    /** Declares Content-Length but sends no body: a server that checks the length answers from the headers. */
    public static Http.Reply declaredTooLarge(int port, String path, Map<String, String> headers, long length)
            throws IOException {
        return post(port, path, headers, "Content-Length: " + length, null);
    }

    /** Sends the body chunked (no length known up front): the server must count and stop past its cap. */
    public static Http.Reply chunked(int port, String path, Map<String, String> headers, byte[] body) throws IOException {
        return post(port, path, headers, "Transfer-Encoding: chunked", body);
    }

    private static Http.Reply post(int port, String path, Map<String, String> headers, String framing, byte[] chunkedBody)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/octet-stream\r\n" + framing + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (chunkedBody != null) {
                try {
                    // The whole body but not the final zero-length chunk: the server reads past its cap and answers.
                    for (int off = 0; off < chunkedBody.length; off += 8192) {
                        int n = Math.min(8192, chunkedBody.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(chunkedBody, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // the server answered and closed before the end: read what it said
                }
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** The answer: status line, headers (Content-Type kept), body by Content-Length or to the end. */
    private static Http.Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headEnd = -1;
        int contentLength = -1;
        String text = "";
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                if (all.size() == 0) {
                    throw e;
                }
                break;
            }
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
            text = all.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && all.size() >= headEnd + 4 + contentLength) {
                break;
            }
        }
        if (headEnd < 0) {
            throw new IOException("no HTTP answer: " + text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String type = "";
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                type = line.substring(13).trim();
            }
        }
        byte[] bytes = all.toByteArray();
        int from = headEnd + 4;
        int to = contentLength >= 0 ? Math.min(bytes.length, from + contentLength) : bytes.length;
        return new Http.Reply(status, java.util.Arrays.copyOfRange(bytes, from, to), type);
    }
}
