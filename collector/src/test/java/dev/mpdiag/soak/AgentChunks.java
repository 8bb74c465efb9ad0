package dev.mpdiag.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.engine.ChunkSummarizer;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import dev.mpdiag.testing.Workload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real JFR chunks as mpagent cut them: {@link Workload} (a hot loop, a contended monitor, allocation, varied
 * work) with mpagent attached at a 5 s interval streams to a collector, and the process's stored chunks are
 * exported back. Each chunk is summarized once here to know which series point is its last, so a replay can
 * ask the API for exactly that point.
 */
public final class AgentChunks {
    /** One chunk, with the series whose last point comes latest in it. */
    public record Chunk(byte[] bytes, long startNanos, long durationNanos, String metric, long lastPointMillis) {
    }

    static final String SERVICE = "soak-capture";
    private static final long CAPTURE_MILLIS = 17_000;

    public final List<Chunk> chunks;
    /** The real agent's version and profile as it sent them, for the replay's headers. */
    public final String agentVersion;
    public final String profile;

    private AgentChunks(List<Chunk> chunks, String agentVersion, String profile) {
        this.chunks = chunks;
        this.agentVersion = agentVersion;
        this.profile = profile;
    }

    /**
     * The chunks cached at {@code file} (with {@code file}.agent holding "version profile"), or captured now
     * through the collector on {@code collectorPort} (a real Workload JVM with mpagent, about 20 s).
     */
    public static AgentChunks obtain(Path file, int collectorPort, Path logDir) throws Exception {
        Path about = file.resolveSibling(file.getFileName() + ".agent");
        if (!Files.exists(file) || !Files.exists(about)) {
            capture(file, about, collectorPort, logDir);
        }
        String[] a = Files.readString(about).trim().split(" ");
        return load(file, a[0], a[1]);
    }

    static AgentChunks load(Path file, String agentVersion, String profile) throws Exception {
        List<Chunk> out = new ArrayList<>();
        for (ByteBuffer c : ChunkSplitter.split(file).chunks()) {
            ChunkHeader h = ChunkHeader.read(c, 0);
            byte[] bytes = new byte[c.remaining()];
            c.duplicate().get(bytes);
            Summary s = ChunkSummarizer.summarize(ByteBuffer.wrap(bytes));
            String metric = null;
            long last = Long.MIN_VALUE;
            for (Map.Entry<String, Series> e : s.allSeries().entrySet()) {
                Series series = e.getValue();
                if (series.kind == Series.Kind.GAUGE && !series.isEmpty() && series.points().lastKey() > last) {
                    last = series.points().lastKey();
                    metric = e.getKey();
                }
            }
            if (metric == null) {
                throw new IllegalStateException("a captured chunk has no gauge series: " + s.allSeries().keySet());
            }
            out.add(new Chunk(bytes, h.startNanos, h.durationNanos, metric, last));
        }
        if (out.size() < 2) {
            throw new IllegalStateException("capture " + file + " holds " + out.size() + " chunks, expected 3 or more");
        }
        return new AgentChunks(out, agentVersion, profile);
    }

    private static void capture(Path file, Path about, int port, Path logDir) throws Exception {
        Http http = new Http(port);
        List<String> args = List.of("-Xmx256m", "-javaagent:" + Recordings.agentJar() + "=collector=http://127.0.0.1:"
                + port + ",service=" + SERVICE + ",interval=5s,label.role=capture",
                "-cp", Path.of("target", "test-classes").toAbsolutePath().toString(),
                Workload.class.getName(), Long.toString(CAPTURE_MILLIS));
        try (ChildJvm w = ChildJvm.start(logDir.resolve("capture-worker.log"), args)) {
            if (w.waitFor(90) != 0) {
                throw new IOException("capture worker failed: " + w.output());
            }
        }
        JsonNode p = null;
        for (long deadline = System.currentTimeMillis() + 20_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
            JsonNode ps = http.get("/api/v1/processes?service=" + SERVICE).json().path("processes"); // 404 until it shows
            if (ps.size() == 1 && ps.get(0).get("status").asText().equals("exited")) {
                p = ps.get(0);
                break;
            }
        }
        if (p == null) {
            throw new IOException("the capture worker's final upload never arrived");
        }
        Http.Reply jfr = http.get("/api/v1/export/jfr?process=" + Http.enc(p.get("id").asText()));
        if (jfr.status() != 200) {
            throw new IOException("export failed: " + jfr.text());
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, jfr.body());
        Files.writeString(about, p.get("agentVersion").asText() + " " + p.get("profile").asText() + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The 68-byte header of chunk c moved in time so it starts at newStartNanos, which must differ from its
     * own start by whole seconds: every event time is the header's start plus a tick offset, so all of them
     * move with it, and per-second series buckets move by whole buckets.
     */
    static byte[] shiftedHeader(Chunk c, long newStartNanos) {
        if ((newStartNanos - c.startNanos) % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("shift by whole seconds only");
        }
        byte[] h = new byte[ChunkHeader.SIZE];
        System.arraycopy(c.bytes, 0, h, 0, ChunkHeader.SIZE);
        ByteBuffer.wrap(h).putLong(START_NANOS_OFFSET, newStartNanos);
        return h;
    }

    /** Where a chunk header keeps its start time in epoch nanoseconds. */
    static final int START_NANOS_OFFSET = 32;
}
