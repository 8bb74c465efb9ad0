package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs (JDK 17, and JDK 25 when installed) stream to a real HTTP receiver in this JVM: many cuts with
 * nothing sent twice and nothing lost, a collector that comes up late, and options from MPAGENT_OPTS.
 */
class StreamingIT {

    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void manyCutsShipEveryChunkOnceAndLoseNothing() throws Exception {
        List<Path> javas = ChildJvm.javas();
        List<Receiver> receivers = new ArrayList<>();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (Path java : javas) { // all JDKs at once: the run is mostly waiting
                Receiver rx = Receiver.start();
                receivers.add(rx);
                children.add(ChildJvm.start(java, List.of("-javaagent:" + ChildJvm.agentJar() + "=collector=" + rx.url()
                                + ",service=streamtest,interval=1s,label.role=worker,label.index=3"),
                        StreamingApp.class, List.of("run=11000", "mbean"), Map.of(), tmp));
            }
            for (int i = 0; i < children.size(); i++) {
                checkManyCuts(children.get(i), receivers.get(i));
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
            receivers.forEach(Receiver::close);
        }
    }

    private void checkManyCuts(ChildJvm child, Receiver rx) throws Exception {
        assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child.describe());
        String jdk = "JDK " + child.value("feature") + ": ";
        assertFalse(child.stderr().contains("mpagent:"), jdk + "a healthy agent is silent: " + child.describe());

        List<Receiver.Upload> uploads = rx.uploads();
        int n = uploads.size();
        // Eleven cuts when the machine is idle; a loaded one delays some (a late cut cuts once, not in a burst).
        assertTrue(n >= 5, jdk + "only " + n + " uploads in an 11 s run with interval=1s");
        for (int i = 0; i < n; i++) {
            Receiver.Upload u = uploads.get(i);
            assertEquals(i + 1, u.seq(), jdk + "seq 1, 2, 3 ... in order, no gaps");
            assertEquals(i == n - 1, u.isFinal(), jdk + "only the last upload is final: seq " + u.seq());
        }

        List<JfrChunks.Chunk> chunks = JfrChunks.split(uploads);
        Set<Long> starts = new HashSet<>();
        for (JfrChunks.Chunk c : chunks) {
            assertTrue(starts.add(c.startNanos()), jdk + "chunk starting at " + c.startNanos() + " shipped twice");
        }
        chunks.sort(Comparator.comparingLong(JfrChunks.Chunk::startNanos));
        for (int i = 1; i < chunks.size(); i++) {
            JfrChunks.Chunk prev = chunks.get(i - 1);
            JfrChunks.Chunk next = chunks.get(i);
            // A new chunk starts where the one before it ended; a gap would be data lost between cuts.
            long gap = next.startNanos() - prev.endNanos();
            assertTrue(Math.abs(gap) <= 1_000_000, jdk + "gap of " + gap + " ns between chunk " + i
                    + " (seq " + prev.seq() + ") and chunk " + (i + 1) + " (seq " + next.seq() + ")");
        }

        List<RecordedEvent> events = JfrChunks.events(chunks, tmp);
        assertEquals(JfrChunks.expectedMarkers(Long.parseLong(child.value("markers"))), JfrChunks.sortedMarkers(events),
                jdk + "every marker exactly once, the last one included");
        assertTrue(JfrChunks.count(events, "mpdiag.ProcessResources") >= 8,
                jdk + JfrChunks.count(events, "mpdiag.ProcessResources") + " ProcessResources events");

        String pid = child.value("pid");
        long shipped = 0;
        boolean costSeen = false;
        for (int i = 0; i < n; i++) {
            Receiver.Upload u = uploads.get(i);
            assertEquals("streamtest", u.header("X-Mpdiag-Service"));
            assertEquals(pid, u.header("X-Mpdiag-Pid"));
            assertEquals(uploads.get(0).header("X-Mpdiag-Start"), u.header("X-Mpdiag-Start"));
            assertEquals(uploads.get(0).header("X-Mpdiag-Host"), u.header("X-Mpdiag-Host"));
            assertEquals("role=worker&index=3", u.header("X-Mpdiag-Labels"));
            assertEquals("1000", u.header("X-Mpdiag-Interval"));
            assertEquals("default", u.header("X-Mpdiag-Profile"));
            assertTrue(u.header("X-Mpdiag-Agent").matches("\\d+\\.\\d+\\.\\d+.*"), u.header("X-Mpdiag-Agent"));
            Map<String, String> health = form(u.header("X-Mpdiag-Health"));
            List<String> base = List.of("shipped", "uploads", "retries", "drops", "droppedBytes", "rejected",
                    "spoolBytes", "lastError");
            List<String> withCost = new java.util.ArrayList<>(base);
            withCost.addAll(List.of("cpuShare", "cpuShareTotal", "agentCpuMs", "jfrCpuMs", "shippedPerSecond",
                    "processCpuMsPerSecond"));
            // The cost fields come once the first cut has measured them, and stay from then on.
            List<String> keys = List.copyOf(health.keySet());
            assertTrue(keys.equals(withCost) || !costSeen && keys.equals(base), jdk + "seq " + u.seq() + ": " + keys);
            costSeen = keys.equals(withCost);
            if (health.containsKey("cpuShare")) {
                // The interval's share is -1 only if the process used no CPU in it; the total is always known.
                double share = Double.parseDouble(health.get("cpuShare"));
                double total = Double.parseDouble(health.get("cpuShareTotal"));
                assertTrue(share == -1 || share >= 0 && share <= 1, jdk + "cpuShare " + share);
                assertTrue(total > 0 && total <= 1, jdk + "cpuShareTotal " + total);
                assertTrue(Long.parseLong(health.get("jfrCpuMs")) >= 0, jdk + health);
                // The process's CPU rate: known on Linux, and at most its cores' worth of ms per second.
                long rate = Long.parseLong(health.get("processCpuMsPerSecond"));
                assertTrue(rate >= 0 && rate <= 1000L * Runtime.getRuntime().availableProcessors() + 100, jdk + health);
            }
            // One sender, one upload at a time: each upload reports exactly the ones acknowledged before it.
            assertEquals(Long.toString(shipped), health.get("shipped"), jdk + "seq " + u.seq());
            assertEquals(Integer.toString(i), health.get("uploads"), jdk + "seq " + u.seq());
            assertEquals("0", health.get("drops"));
            assertEquals("0", health.get("rejected"));
            shipped += u.body().length;
        }
        assertTrue(costSeen, jdk + "the agent's own cost never reached the health header");

        String processId = "streamtest/" + uploads.get(0).header("X-Mpdiag-Host") + "/" + pid + "/"
                + uploads.get(0).header("X-Mpdiag-Start");
        assertEquals(processId, child.value("mbean.ProcessId"), child.describe());
        assertEquals("streamtest", child.value("mbean.Service"));
        assertEquals(rx.url(), child.value("mbean.Collector"));
        assertEquals("default", child.value("mbean.Profile"));
        assertTrue(Long.parseLong(child.value("mbean.Uploads")) >= 1, child.describe());
        assertTrue(Long.parseLong(child.value("mbean.Shipped")) > 0, child.describe());
        for (String zero : List.of("Retries", "Drops", "DroppedBytes", "Rejected")) {
            assertEquals("0", child.value("mbean." + zero), zero);
        }
        assertEquals("", child.value("mbean.LastError"));
        assertTrue(child.value("mbean.SpoolBytes").matches("\\d+"));

        List<String> threads = new ArrayList<>();
        for (String line : child.stdout().split("\\R")) {
            if (line.startsWith("thread=")) {
                threads.add(line.substring("thread=".length()));
                assertTrue(line.endsWith(" daemon=true"), jdk + "agent threads must be daemons: " + line);
            }
        }
        assertTrue(threads.contains("mpagent-cutter daemon=true") && threads.contains("mpagent-sender daemon=true"),
                jdk + threads);
    }

    @Test
    void collectorDownAtStartThenUpGetsTheSpooledDataAndCountsDrops() throws Exception {
        int memoryPort = freePort();
        int diskPort = freePort();
        Path spoolDir = Files.createDirectories(tmp.resolve("spool"));
        String common = "interval=1s,exit.timeout=5s,spool.memory=400k";
        Receiver memoryRx = null;
        Receiver diskRx = null;
        try (ChildJvm memory = ChildJvm.start(ChildJvm.THIS_JAVA, List.of("-javaagent:" + ChildJvm.agentJar()
                        + "=collector=http://127.0.0.1:" + memoryPort + ",service=late," + common),
                StreamingApp.class, List.of("run=10000"), Map.of(), tmp);
             ChildJvm disk = ChildJvm.start(ChildJvm.THIS_JAVA, List.of("-javaagent:" + ChildJvm.agentJar()
                        + "=collector=http://127.0.0.1:" + diskPort + ",service=late-disk,spool.dir=" + spoolDir
                        + ",spool.disk=64m," + common),
                StreamingApp.class, List.of("run=10000"), Map.of(), tmp)) {
            memory.awaitStdout("ready=true", CHILD_TIMEOUT);
            disk.awaitStdout("ready=true", CHILD_TIMEOUT);
            Thread.sleep(4_500); // about four cuts with nobody listening
            long upNanos = System.currentTimeMillis() * 1_000_000;
            memoryRx = Receiver.start(memoryPort);
            diskRx = Receiver.start(diskPort);

            assertEquals(0, memory.awaitExit(CHILD_TIMEOUT), memory.describe());
            assertEquals(0, disk.awaitExit(CHILD_TIMEOUT), disk.describe());

            // Memory only: 400k holds two or three cuts, so the oldest were dropped, and counted.
            List<Receiver.Upload> got = memoryRx.uploads();
            assertFalse(got.isEmpty(), memory.describe());
            Receiver.Upload last = got.get(got.size() - 1);
            assertTrue(last.isFinal(), memory.describe());
            Map<String, String> health = form(last.header("X-Mpdiag-Health"));
            long drops = Long.parseLong(health.get("drops"));
            assertTrue(drops >= 1, "drops counted: " + health);
            assertTrue(Long.parseLong(health.get("droppedBytes")) > 0, health.toString());
            assertTrue(Long.parseLong(health.get("retries")) >= 1, health.toString());
            assertTrue(health.get("lastError").contains("ConnectException"), "the outage: " + health);
            List<Long> seqs = got.stream().map(Receiver.Upload::seq).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "in order: " + seqs);
            }
            assertEquals(last.seq() - seqs.size(), drops, "every missing seq is a counted drop: " + seqs);
            assertTrue(startedBefore(got, upNanos), "a cut spooled while the collector was down arrived");
            assertEquals(1, memory.stderr().lines().filter(l -> l.startsWith("mpagent: ")).count(),
                    "one warning for the outage, not one per retry: " + memory.stderr());

            // With a disk spool nothing was dropped: every seq arrived.
            List<Receiver.Upload> all = diskRx.uploads();
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).seq(), disk.describe());
            }
            Receiver.Upload diskLast = all.get(all.size() - 1);
            assertTrue(diskLast.isFinal());
            assertEquals("0", form(diskLast.header("X-Mpdiag-Health")).get("drops"));
            assertTrue(all.size() >= 6, all.size() + " uploads");
            assertTrue(startedBefore(all, upNanos), "a cut spooled while the collector was down arrived");
            try (Stream<Path> left = Files.walk(spoolDir)) {
                assertEquals(List.of(spoolDir), left.toList(), "spool files removed once sent");
            }
        } finally {
            if (memoryRx != null) {
                memoryRx.close();
            }
            if (diskRx != null) {
                diskRx.close();
            }
        }
    }

    @Test
    void mpagentOptsAppliesAndTheAgentStringWins() throws Exception {
        try (Receiver rx = Receiver.start();
             ChildJvm child = ChildJvm.start(ChildJvm.THIS_JAVA,
                     List.of("-javaagent:" + ChildJvm.agentJar() + "=collector=" + rx.url() + ",label.role=agent,interval=1s"),
                     StreamingApp.class, List.of("run=500"),
                     Map.of(AgentMain.ENV_OPTIONS, "service=fromenv,label.role=env,label.zone=a,interval=9s,spool.memory=lots"),
                     tmp)) {
            assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child.describe());
            List<String> lines = child.stderr().lines().toList();
            assertEquals(1, lines.size(), child.describe());
            assertTrue(lines.get(0).startsWith("mpagent: option spool.memory=lots: "), lines.get(0));
            assertTrue(lines.get(0).endsWith("using 16m"), lines.get(0));
            Receiver.Upload u = rx.uploads().get(0);
            assertEquals("fromenv", u.header("X-Mpdiag-Service"));
            assertEquals(Map.of("role", "agent", "zone", "a"), form(u.header("X-Mpdiag-Labels")));
            assertEquals("1000", u.header("X-Mpdiag-Interval"));
        }
    }

    private static boolean startedBefore(List<Receiver.Upload> uploads, long epochNanos) {
        return JfrChunks.split(uploads).stream().anyMatch(c -> c.startNanos() < epochNanos);
    }

    static Map<String, String> form(String form) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    /** A loopback port nothing listens on right now (the OS may hand it out again later; unlikely in a test). */
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
