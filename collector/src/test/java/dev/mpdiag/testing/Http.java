package dev.mpdiag.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small client for tests against a real collector on a loopback port. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final String base;

    /** One answer: status and body. */
    public record Reply(int status, byte[] body, String contentType) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text(), e);
            }
        }
    }

    private final int port;

    public Http(int port) {
        this(port, null);
    }

    /** HTTPS to 127.0.0.1:port trusting only tls (null: plain HTTP). */
    public Http(int port, javax.net.ssl.SSLContext tls) {
        this.port = port;
        this.base = (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.client = (tls == null ? b : b.sslContext(tls)).build();
    }

    public int port() {
        return port;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public Reply get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public Reply get(String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        headers.forEach(b::header);
        return send(b);
    }

    public Reply post(String path, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    /** A multipart/form-data POST of files (field name to file name and bytes), as a browser sends it. */
    public Reply postFiles(String path, Map<String, Map.Entry<String, byte[]>> files)
            throws IOException, InterruptedException {
        String boundary = "----mpdiag" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, Map.Entry<String, byte[]>> f : files.entrySet()) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\""
                    + f.getValue().getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(f.getValue().getValue());
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), out.toByteArray());
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
