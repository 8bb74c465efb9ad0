package dev.mpdiag.server.api;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.AgentUpload;
import dev.mpdiag.server.UploadSink;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessIdentity;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/** POST /api/v1/ingest: one cut of JFR chunks from an agent, identified by headers (docs/api.md). */
public final class IngestApi {
    private final UploadSink sink;
    private final long maxUpload;

    public IngestApi(UploadSink sink, long maxUpload) {
        this.sink = sink;
        this.maxUpload = maxUpload;
    }

    public void ingest(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only();
        ProcessIdentity id = identity(ctx);
        long seq = number(ctx, "X-Mpdiag-Seq", 1);
        // Labels and health are parsed (and a bad one refused with 400) by the sink: once, where they are used.
        String labels = ctx.header("X-Mpdiag-Labels");
        String health = ctx.header("X-Mpdiag-Health");
        long interval = ctx.header("X-Mpdiag-Interval") == null ? 0 : number(ctx, "X-Mpdiag-Interval", 0);
        String profile = text(ctx.header("X-Mpdiag-Profile"));
        String agent = text(ctx.header("X-Mpdiag-Agent"));
        boolean last = "true".equalsIgnoreCase(ctx.header("X-Mpdiag-Final"));
        ByteBuffer body = ByteBuffer.wrap(readBody(ctx, maxUpload));
        Map<String, Object> reply = sink.accept(new AgentUpload(id, seq, last, labels, health, interval, profile, agent,
                body));
        Replies.json(ctx, reply);
    }

    private static ProcessIdentity identity(Context ctx) {
        String service = ctx.header("X-Mpdiag-Service");
        String host = ctx.header("X-Mpdiag-Host");
        long pid = number(ctx, "X-Mpdiag-Pid", 0);
        long start = number(ctx, "X-Mpdiag-Start", 0);
        try {
            return new ProcessIdentity(service, host, pid, start);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad identity", e.getMessage()
                    + " (X-Mpdiag-Service, X-Mpdiag-Host, X-Mpdiag-Pid and X-Mpdiag-Start are required)");
        }
    }

    private static long number(Context ctx, String header, long min) {
        String v = ctx.header(header);
        if (v == null) {
            throw ApiException.badRequest("missing header", header + " is required");
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min) {
                throw ApiException.badRequest("bad header", header + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad header", header + " must be a whole number, got '"
                    + TimeParam.abbreviate(v) + "'");
        }
    }

    private static String text(String v) {
        return v == null ? null : TimeParam.abbreviate(v.trim());
    }

    /**
     * Reads the body, refusing it with 413 as soon as it passes the limit, whatever Content-Length said. With a
     * Content-Length (what the agent sends) the bytes land in one array of that size and are never copied again:
     * at a thousand agents, every extra copy of a 150 KB body is CPU and garbage on the collector's one core.
     */
    static byte[] readBody(Context ctx, long max) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw new ApiException(413, "too large", "body of " + declared + " bytes is over the limit of " + max);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            return declared >= 0 ? readDeclared(in, (int) declared, max) : readChunked(in, max);
        }
    }

    private static byte[] readDeclared(InputStream in, int declared, long max) throws IOException {
        byte[] buf = new byte[declared];
        int n = in.readNBytes(buf, 0, declared);
        if (n < declared) {
            // The connection closed early; what did arrive is judged by the JFR checks (a truncated chunk is refused).
            return java.util.Arrays.copyOf(buf, n);
        }
        if (in.read() >= 0) {
            throw new ApiException(413, "too large", "body is longer than its Content-Length of " + declared);
        }
        return buf;
    }

    private static byte[] readChunked(InputStream in, long max) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, max + 1)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > max) {
                    throw new ApiException(413, "too large", "body is over the limit of " + max + " bytes");
                }
                buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, max + 1));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n > max) {
            throw new ApiException(413, "too large", "body is over the limit of " + max + " bytes");
        }
        return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
    }
}
