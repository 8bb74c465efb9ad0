package dev.mpdiag.server;

import static dev.mpdiag.server.CollectorApiTest.agentHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real collector JVM while uploads stream in, many times over one data directory. After every
 * restart each acknowledged upload is listed with its chunks, its file is whole on disk, the index and files
 * agree, and the JFR the API serves for every process parses to its end (no partial chunk).
 */
class CrashDurabilityIT {
    static final Path OUT = Path.of("target", "it-crash");
    /** Kill rounds; -Dmpdiag.crash.rounds=N for a longer soak (bench/soak.sh). */
    static final int ROUNDS = Integer.getInteger("mpdiag.crash.rounds", 8);
    static final int UPLOADERS = 3;

    @Test
    void everyAcknowledgedUploadSurvivesKill9AndNothingPartialIsServed() throws Exception {
        Path dir = Dirs.fresh(OUT);
        Path data = dir.resolve("data");
        List<byte[]> chunks = CollectorApiTest.chunksOf(Recordings.jdk17MultiChunk());
        Random random = new Random(Long.getLong("mpdiag.crash.seed", 7L));
        // acknowledged seqs per process id, and the next upload of each uploader (it carries on after a restart)
        Map<String, List<Long>> acked = new ConcurrentHashMap<>();
        long[] next = new long[UPLOADERS];
        int port = ChildJvm.freePort();
        int killedDuringUpload = 0;
        long totalAcked = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            ChildJvm collector = ChildJvm.collector(Path.of("target", "mpdiag.jar"), port, data,
                    dir.resolve("collector-" + round + ".log"));
            try {
                Http http = new Http(port);
                verify(http, data, acked, chunks.size(), round);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> threads = new ArrayList<>();
                int[] inFlightAtKill = new int[UPLOADERS];
                for (int u = 0; u < UPLOADERS; u++) {
                    int me = u;
                    Thread t = new Thread(() -> inFlightAtKill[me] = upload(http, me, next, chunks, acked, stop), "uploader-" + u);
                    t.start();
                    threads.add(t);
                }
                Thread.sleep(300 + random.nextInt(1500));
                collector.kill(); // kill -9 while the uploaders are mid-stream
                stop.set(true);
                for (Thread t : threads) {
                    t.join(30_000);
                }
                for (int f : inFlightAtKill) {
                    killedDuringUpload += f;
                }
            } finally {
                collector.close();
            }
            long n = acked.values().stream().mapToLong(List::size).sum();
            System.out.printf(Locale.ROOT, "crash round %d: %d uploads acknowledged so far%n", round, n);
            totalAcked = n;
        }
        try (ChildJvm collector = ChildJvm.collector(Path.of("target", "mpdiag.jar"), port, data,
                dir.resolve("collector-final.log"))) {
            verify(new Http(port), data, acked, chunks.size(), ROUNDS + 1);
        }
        System.out.printf(Locale.ROOT, "crash: %d kill -9 rounds, %d uploads acknowledged, %d uploads cut off by a kill;"
                + " every acknowledged one present and readable after each restart%n", ROUNDS, totalAcked, killedDuringUpload);
        assertTrue(totalAcked > ROUNDS, "uploads were acknowledged between kills: " + totalAcked);
        assertTrue(killedDuringUpload > 0, "at least one kill landed during an upload");
    }

    /**
     * One uploader: process "crash/uploader-U/pid" gets the recording's chunks as seq 1..n, then the next pid; an
     * upload that failed (the collector died) is sent again after the restart, as the agent does. Returns 1 when
     * the kill cut an upload off.
     */
    static int upload(Http http, int u, long[] next, List<byte[]> chunks, Map<String, List<Long>> acked, AtomicBoolean stop) {
        int n = chunks.size();
        while (!stop.get()) {
            long k = next[u];
            long pid = 1 + k / n;
            long seq = 1 + k % n;
            try {
                Http.Reply r = http.post("/api/v1/ingest", agentHeaders("crash", 1000L * u + pid, seq).entrySet().stream()
                        .collect(HashMap::new, (m, e) -> m.put(e.getKey(), e.getKey().equals("X-Mpdiag-Host")
                                ? "uploader-" + u : e.getValue()), HashMap::putAll), chunks.get((int) (k % n)));
                if (r.status() != 200) {
                    throw new AssertionError("upload refused: " + r.status() + " " + r.text());
                }
                acked.computeIfAbsent("crash/uploader-" + u + "/" + (1000L * u + pid) + "/1795790000123",
                        id -> new ArrayList<>()).add(seq);
                next[u] = k + 1;
            } catch (IOException | InterruptedException e) {
                return 1;
            }
        }
        return 0;
    }

    static void verify(Http http, Path data, Map<String, List<Long>> acked, int chunksPerUpload, int round)
            throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        Http.Reply list = http.get("/api/v1/processes?service=crash");
        assertTrue(list.status() == 200 || list.status() == 404 && acked.isEmpty(), "round " + round + ": " + list.text());
        for (JsonNode p : list.json().path("processes")) {
            byId.put(p.get("id").asText(), p);
        }
        for (Map.Entry<String, List<Long>> e : acked.entrySet()) {
            JsonNode p = byId.get(e.getKey());
            String where = "round " + round + ", " + e.getKey();
            assertTrue(p != null, where + ": an acknowledged process is missing");
            long maxAcked = e.getValue().stream().mapToLong(Long::longValue).max().orElse(0);
            // Stored but unacknowledged (killed before the answer) may add one more; acknowledged never go missing.
            long uploads = p.path("data").path("uploads").asLong();
            assertTrue(uploads >= e.getValue().size(), where + ": " + uploads + " uploads listed, " + e.getValue().size()
                    + " acknowledged");
            assertTrue(p.path("data").path("lastSeq").asLong() >= maxAcked, where + ": lastSeq below " + maxAcked);
            Http.Reply jfr = http.get("/api/v1/export/jfr?from=0&process=" + Http.enc(e.getKey()));
            assertEquals(200, jfr.status(), where + ": " + jfr.text());
            assertEquals(uploads, countChunks(jfr.body()), where + ": chunks served (one per upload)");
        }
        checkFolders(data.resolve("processes"), round);
    }

    /** Chunks in a served file, each read to its end with the JDK's reader (it throws on a partial chunk). */
    static long countChunks(byte[] jfr) throws Exception {
        Path tmp = Files.createTempFile(OUT.toAbsolutePath(), "served", ".jfr");
        try {
            Files.write(tmp, jfr);
            long events = 0;
            try (RecordingFile f = new RecordingFile(tmp)) {
                while (f.hasMoreEvents()) {
                    f.readEvent();
                    events++;
                }
            }
            assertTrue(events > 0, "events in the served JFR");
            return dev.mpdiag.jfr.ChunkSplitter.split(java.nio.ByteBuffer.wrap(jfr)).chunks().size();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Every index line names a whole file of its size; no temporary or unlisted file is left after the start. */
    static void checkFolders(Path processes, int round) throws IOException {
        if (!Files.isDirectory(processes)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(processes)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Map<String, Long> listed = new HashMap<>();
                Path index = d.resolve("index");
                if (Files.exists(index)) {
                    String text = Files.readString(index, StandardCharsets.UTF_8);
                    assertTrue(text.isEmpty() || text.endsWith("\n"), "round " + round + ": " + index + " ends mid-line");
                    for (String line : text.split("\n")) {
                        if (!line.isBlank()) {
                            String[] f = line.split(" ");
                            listed.put(f[0] + ".jfr", Long.parseLong(f[3]));
                        }
                    }
                }
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String name = f.getFileName().toString();
                        assertTrue(!name.endsWith(".tmp"), "round " + round + ": leftover " + f);
                        if (name.endsWith(".jfr")) {
                            assertTrue(listed.containsKey(name), "round " + round + ": unlisted " + f);
                            assertEquals(listed.get(name), Files.size(f), "round " + round + ": size of " + f);
                        }
                    }
                }
                for (String name : listed.keySet()) {
                    assertTrue(Files.exists(d.resolve(name)), "round " + round + ": index lists missing " + d.resolve(name));
                }
            }
        }
    }
}
