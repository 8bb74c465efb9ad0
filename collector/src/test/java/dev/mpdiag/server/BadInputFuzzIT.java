package dev.mpdiag.server;

import static dev.mpdiag.server.CollectorApiTest.agentHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of corrupted, truncated, oversized and random uploads and malformed API queries against a real
 * collector JVM, with good uploads interleaved: every bad one gets a 4xx JSON error, every good one is stored,
 * the collector stays up in bounded memory, and nothing is written outside its data directory.
 */
class BadInputFuzzIT {
    static final Path OUT = Path.of("target", "it-fuzz");
    /** Requests per run; -Dmpdiag.fuzz.requests=N for a longer soak (bench/soak.sh). */
    static final int REQUESTS = Integer.getInteger("mpdiag.fuzz.requests", 3000);
    static final int MAX_UPLOAD = 1 << 20;
    static final long SEED = Long.getLong("mpdiag.fuzz.seed", 20261127L);

    @Test
    void badInputGets4xxJsonGoodUploadsAreAllStoredAndTheCollectorStaysUp() throws Exception {
        Path dir = Dirs.fresh(OUT);
        Path data = dir.resolve("data");
        List<byte[]> chunks = CollectorApiTest.chunksOf(Recordings.jdk17MultiChunk());
        int port = ChildJvm.freePort();
        try (ChildJvm collector = ChildJvm.collector(Path.of("target", "mpdiag.jar"), port, data,
                dir.resolve("collector.log"), "--max-upload", Integer.toString(MAX_UPLOAD))) {
            Http http = new Http(port);
            BadRequests bad = new BadRequests(new Random(SEED), chunks, MAX_UPLOAD);
            Map<String, int[]> byKind = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            int good = 0;
            long rssStart = rssKb(collector.process.pid());
            long t0 = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                if (i % 10 == 0) {
                    // good: process g gets the recording's chunks as seq 1..n, then the next process starts
                    int n = chunks.size();
                    Http.Reply r = http.post("/api/v1/ingest", agentHeaders("good", 1 + good / n, 1 + good % n),
                            chunks.get(good % n));
                    if (r.status() != 200 || !r.json().path("stored").asBoolean()) {
                        wrong.add("good upload " + good + ": " + r.status() + " " + r.text());
                    }
                    good++;
                    continue;
                }
                BadRequests.Request q = bad.next();
                Http.Reply r = q.send(http);
                int[] counts = byKind.computeIfAbsent(q.kind(), k -> new int[2]);
                counts[0]++;
                String problem = q.judge(r);
                if (problem != null) {
                    counts[1]++;
                    if (wrong.size() < 30) {
                        wrong.add(q.kind() + " " + q.what() + ": " + problem);
                    }
                }
                if (i % 500 == 499) {
                    System.out.printf(Locale.ROOT, "fuzz: %d requests, %.0f s, collector RSS %d MB%n", i + 1,
                            (System.nanoTime() - t0) / 1e9, rssKb(collector.process.pid()) / 1024);
                }
            }
            long rssEnd = rssKb(collector.process.pid());
            System.out.printf(Locale.ROOT, "fuzz: %d requests (%d good uploads) in %.0f s; collector RSS %d -> %d MB%n",
                    REQUESTS, good, (System.nanoTime() - t0) / 1e9, rssStart / 1024, rssEnd / 1024);
            byKind.forEach((k, c) -> System.out.printf(Locale.ROOT, "  %-22s %5d sent, %d wrong answers%n", k, c[0], c[1]));
            assertEquals(List.of(), wrong, "answers that were not what bad or good input should get");
            assertTrue(collector.process.isAlive(), "collector still running");

            // Every good upload is stored and listed; the bad ones that carried a good chunk left no process.
            int n = chunks.size();
            int processes = (good + n - 1) / n;
            JsonNode list = http.get("/api/v1/processes?service=good").json().get("processes");
            assertEquals(processes, list.size(), list.toString());
            int stored = 0;
            for (JsonNode p : list) {
                stored += p.path("data").path("uploads").asInt();
            }
            assertEquals(good, stored, "every good upload stored");

            // Bounded: the heap is capped by -Xmx512m (ChildJvm.collector); resident memory stays under a bound
            // that holds it, its metaspace, code and threads, and the log shows no failure.
            assertTrue(rssEnd < 1024 * 1024, "collector RSS " + rssEnd / 1024 + " MB");
            String log = collector.output();
            assertFalse(log.contains("OutOfMemoryError"), log);
            assertFalse(log.contains("internal error"), log);

            // Nothing outside the data directory: the run's folder holds only it and the log, and no file of
            // the names the bad requests carried exists anywhere under the folder's parent.
            try (Stream<Path> top = Files.list(dir)) {
                assertEquals(List.of("collector.log", "data"), top.map(p -> p.getFileName().toString()).sorted().toList());
            }
            try (Stream<Path> all = Files.walk(dir.getParent(), 3)) {
                List<String> escaped = all.map(p -> p.getFileName().toString())
                        .filter(name -> name.startsWith(BadRequests.EVIL)).toList();
                assertEquals(List.of(), escaped, "files named by bad requests");
            }
        }
    }

    /** Resident set size of a process in kB, from /proc (Linux). */
    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
