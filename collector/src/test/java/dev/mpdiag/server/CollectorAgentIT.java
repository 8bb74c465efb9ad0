package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.HotWorker;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import dev.mpdiag.testing.SleepyWorker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end: worker JVMs carrying the real mpagent stream to a real collector (target/mpdiag.jar in its own
 * JVM) on a loopback port.
 */
class CollectorAgentIT {
    static final Path OUT = Path.of("target", "it-collector");
    final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void cleanup() {
        children.forEach(ChildJvm::close);
    }

    ChildJvm worker(String name, int port, String which, long intervalMillis, long markAfter, long run, int index)
            throws Exception {
        return worker(name, port, which, intervalMillis, markAfter, run, index, "");
    }

    ChildJvm worker(String name, int port, String which, long intervalMillis, long markAfter, long run, int index,
            String moreOptions) throws Exception {
        return app(name, "-javaagent:" + Recordings.agentJar() + "=collector=http://127.0.0.1:" + port
                + ",service=hotsvc,interval=" + intervalMillis + "ms,label.role=worker,label.index=" + index + moreOptions,
                HotWorker.class.getName(), which, Long.toString(markAfter), Long.toString(run));
    }

    /** A test-classes main class in its own JVM with the given -javaagent option. */
    ChildJvm app(String name, String agent, String... mainAndArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Xmx128m", agent, "-cp",
                Path.of("target", "test-classes").toAbsolutePath().toString()));
        args.addAll(List.of(mainAndArgs));
        ChildJvm w = ChildJvm.start(OUT.resolve(name + ".log"), args);
        children.add(w);
        return w;
    }

    ChildJvm collector(int port, Path data, String log) throws Exception {
        ChildJvm c = ChildJvm.collector(port, data, OUT.resolve(log));
        children.add(c);
        return c;
    }

    static Path fresh(String name) throws Exception {
        return Dirs.fresh(OUT.resolve(name));
    }

    /** Self weight per frame name of a flame.js tree (nodes are name, kind, depth, total, self). */
    static Map<String, Long> selfByName(JsonNode tree) {
        Map<String, Long> out = new HashMap<>();
        JsonNode nodes = tree.get("nodes");
        for (int i = 0; i < nodes.size(); i += 5) {
            out.merge(tree.get("names").get(nodes.get(i).asInt()).asText(), nodes.get(i + 4).asLong(), Long::sum);
        }
        return out;
    }

    static boolean allLive(JsonNode processes) {
        for (JsonNode p : processes) {
            if (!p.get("status").asText().equals("live")) {
                return false;
            }
        }
        return true;
    }

    static String hottest(Map<String, Long> self) {
        return self.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static final String PREFIX = HotWorker.class.getName() + ".";

    @Test
    void threeWorkersAreListedMergedAndSplit() throws Exception {
        threeWorkers("three", "", "default");
    }

    /** The same with async-profiler sampling; the profile name says it was async-profiler, not a fallback. */
    @Test
    void threeWorkersWithAsyncProfiler() throws Exception {
        threeWorkers("three-async", ",profiler=async", "default+async-cpu");
    }

    void threeWorkers(String tag, String moreOptions, String profile) throws Exception {
        int port = ChildJvm.freePort();
        Path data = fresh(tag + "-data");
        collector(port, data, tag + "-collector.log");
        Http http = new Http(port);
        long interval = 2000;
        List<ChildJvm> workers = List.of(worker(tag + "-A", port, "A", interval, 7000, 13000, 0, moreOptions),
                worker(tag + "-B", port, "B", interval, 60000, 13000, 1, moreOptions),
                worker(tag + "-C", port, "C", interval, 60000, 13000, 2, moreOptions));

        JsonNode processes = null;
        for (long deadline = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
            processes = http.get("/api/v1/processes").json().get("processes");
            if (processes.size() == 3 && allLive(processes)) {
                break;
            }
        }
        // All three live at one moment: on a loaded 2-core machine one worker's upload may lag a few seconds
        // while the others start, so the test waits for that moment rather than sampling one.
        assertEquals(3, processes.size(), "three workers listed: " + processes);
        String idA = null;
        for (JsonNode p : processes) {
            assertEquals("hotsvc", p.get("service").asText());
            assertEquals("worker", p.get("labels").get("role").asText());
            assertEquals("live", p.get("status").asText(), p.toString());
            assertEquals(profile, p.get("profile").asText(), p.toString());
            if (p.get("labels").get("index").asText().equals("0")) {
                idA = p.get("id").asText();
            }
        }

        // While they run, /metrics has each one's cost as of its latest upload.
        List<String> costs = List.of();
        for (long deadline = System.currentTimeMillis() + 30_000; costs.size() < 3 && System.currentTimeMillis() < deadline;
                Thread.sleep(500)) {
            costs = http.get("/metrics").text().lines().filter(l -> l.startsWith("mpdiag_agent_cpu_ratio{")).toList();
        }
        assertEquals(3, costs.size(), "mpdiag_agent_cpu_ratio lines: " + costs);
        for (String l : costs) {
            double v = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            assertTrue(v >= 0 && v <= 1, l);
        }

        // Worker A says when it starts calling markedWork; the frame must be served within two intervals.
        long mark = awaitMark(workers.get(0));
        long visible = -1;
        for (long deadline = mark + 4 * interval; System.currentTimeMillis() < deadline; Thread.sleep(100)) {
            JsonNode tree = http.get("/api/v1/flamegraph?type=cpu&process=" + Http.enc(idA)).json().get("tree");
            if (selfByName(tree).getOrDefault(PREFIX + "markedWork", 0L) > 0) {
                visible = System.currentTimeMillis();
                break;
            }
        }
        assertTrue(visible > 0, "markedWork never became visible");
        System.out.println("event at t visible after " + (visible - mark) + " ms (interval " + interval + " ms)");
        assertTrue(visible - mark <= 2 * interval, "visible after " + (visible - mark) + " ms, over 2 intervals");

        for (ChildJvm w : workers) {
            assertEquals(0, w.waitFor(30), w.output());
        }
        Map<String, Long> merged = selfByName(http.get("/api/v1/flamegraph?type=cpu&service=hotsvc").json().get("tree"));
        assertEquals(PREFIX + "sharedWork", hottest(merged), merged.toString());
        JsonNode split = http.get("/api/v1/flamegraph?type=cpu&service=hotsvc&split=true").json().get("processes");
        assertEquals(3, split.size());
        for (JsonNode p : split) {
            Map<String, Long> self = selfByName(p.get("tree"));
            String own = ownMethod(processes, p.get("id").asText());
            assertTrue(self.getOrDefault(PREFIX + own, 0L) > 0, own + " missing in " + self);
            for (String other : List.of("ownWorkA", "ownWorkB", "ownWorkC")) {
                if (!other.equals(own)) {
                    assertFalse(self.containsKey(PREFIX + other), other + " must not be in " + p.get("id"));
                }
            }
        }
        for (JsonNode p : http.get("/api/v1/processes").json().get("processes")) {
            assertEquals("exited", p.get("status").asText(), "the final cut marks a process exited: " + p);
        }
        assertTheAgentsCostIsShown(http, processes, tag);
    }

    /**
     * Every process's own cost as the agent measured it: in its health and in `mpdiag analyze` of its exported
     * recording (and, checked while they ran, in /metrics). JFR's sampler alone runs every 20 ms in each, so the share is above zero; it is a share
     * of the process's CPU, so at most one.
     */
    static void assertTheAgentsCostIsShown(Http http, JsonNode processes, String tag) throws Exception {
        for (JsonNode p : http.get("/api/v1/processes").json().get("processes")) {
            JsonNode h = p.get("health");
            assertTrue(h.has("cpuShare") && h.has("cpuShareTotal") && h.has("jfrCpuMs"), "no cost in health: " + h);
            double share = h.get("cpuShare").asDouble();
            double total = h.get("cpuShareTotal").asDouble();
            assertTrue(share >= 0 && share <= 1 && total > 0 && total <= 1, "cost shares " + h);
            assertTrue(Long.parseLong(h.get("jfrCpuMs").asText()) > 0, "JFR's threads used no CPU? " + h);
        }
        String id = processes.get(0).get("id").asText();
        Path jfr = OUT.resolve(tag + "-exported.jfr");
        Files.write(jfr, http.get("/api/v1/export/jfr?process=" + Http.enc(id)).body());
        Cli.Run r = Cli.run("analyze", "--jmc=off", jfr.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*mpagent: [0-9.]+% of this process's CPU \\(its threads .*"), r.out());
    }

    /**
     * async-profiler's wall-clock mode samples threads whether they run or not: the method that sleeps shows in
     * the wall profile, and not in the CPU profile of the same process (which JFR records in wall mode).
     */
    @Test
    void wallClockShowsTheMethodThatSleepsWhereCpuDoesNot() throws Exception {
        int port = ChildJvm.freePort();
        collector(port, fresh("wall-data"), "wall-collector.log");
        Http http = new Http(port);
        ChildJvm w = app("wall-worker", "-javaagent:" + Recordings.agentJar() + "=collector=http://127.0.0.1:" + port
                + ",service=wallsvc,interval=2s,profiler=async,async.event=wall", SleepyWorker.class.getName(), "8000");
        assertEquals(0, w.waitFor(60), w.output());
        JsonNode p = awaitExited(http, "wallsvc");
        assertEquals("default+async-wall", p.get("profile").asText(), p.toString());

        String sleepy = SleepyWorker.class.getName() + ".";
        Map<String, Long> wall = totalByName(http.get("/api/v1/flamegraph?type=wall&service=wallsvc").json().get("tree"));
        Map<String, Long> cpu = totalByName(http.get("/api/v1/flamegraph?type=cpu&service=wallsvc").json().get("tree"));
        long cpuTotal = cpu.values().stream().mapToLong(Long::longValue).max().orElse(0);
        String spin = PREFIX + "sharedWork";
        System.out.printf("wall: napWork %d, sharedWork %d samples; cpu: napWork %d, sharedWork %d of %d samples%n",
                wall.getOrDefault(sleepy + "napWork", 0L), wall.getOrDefault(spin, 0L),
                cpu.getOrDefault(sleepy + "napWork", 0L), cpu.getOrDefault(spin, 0L), cpuTotal);
        // About 60% of 8 s asleep at one sample per 50 ms: some 90 samples; 10 leaves room for a busy machine.
        assertTrue(wall.getOrDefault(sleepy + "napWork", 0L) >= 10, "napWork in wall: " + wall);
        assertTrue(cpu.getOrDefault(spin, 0L) > 0, "sharedWork in cpu: " + cpu);
        // The thread sleeps 6 ms for every 4 ms it spins: in wall time napWork outweighs sharedWork, in CPU time a
        // sample can only catch the instant before a sleep starts (1 of 45 once), never the sleep itself.
        assertTrue(wall.getOrDefault(sleepy + "napWork", 0L) > wall.getOrDefault(spin, 0L), "wall: " + wall);
        assertTrue(cpu.getOrDefault(sleepy + "napWork", 0L) * 10 <= cpu.getOrDefault(spin, 0L),
                "napWork in cpu: " + cpu);
    }

    /** Total (inclusive) weight per frame name of a flame.js tree. */
    static Map<String, Long> totalByName(JsonNode tree) {
        Map<String, Long> out = new HashMap<>();
        JsonNode nodes = tree.get("nodes");
        for (int i = 0; i < nodes.size(); i += 5) {
            // a recursive frame counts once per path: the largest is the method's total
            out.merge(tree.get("names").get(nodes.get(i).asInt()).asText(), nodes.get(i + 3).asLong(), Math::max);
        }
        return out;
    }

    /** The one process of a service once its final cut arrived. */
    static JsonNode awaitExited(Http http, String service) throws Exception {
        JsonNode last = null;
        for (long deadline = System.currentTimeMillis() + 20_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
            last = http.get("/api/v1/processes?service=" + service).json().path("processes"); // 404 until it shows
            if (last.size() == 1 && last.get(0).get("status").asText().equals("exited")) {
                return last.get(0);
            }
        }
        throw new AssertionError("no exited process of " + service + ": " + last);
    }

    static String ownMethod(JsonNode processes, String id) {
        for (JsonNode p : processes) {
            if (p.get("id").asText().equals(id)) {
                return "ownWork" + "ABC".charAt(p.get("labels").get("index").asInt());
            }
        }
        throw new AssertionError("no process " + id);
    }

    static long awaitMark(ChildJvm w) throws Exception {
        return HotWorker.awaitMark(w, 30_000);
    }

    @Test
    void collectorStartedLateAndKilledMidRunLosesAndDuplicatesNothing() throws Exception {
        int port = ChildJvm.freePort();
        Path data = fresh("kill-data");
        Http http = new Http(port);
        // The workers run until the test stops them (SIGTERM, so their final cut is sent): on a busy machine a
        // collector's restart can take seconds, and the workers must outlive it.
        List<ChildJvm> workers = List.of(worker("kill-A", port, "A", 1000, 600_000, 120_000, 0),
                worker("kill-B", port, "B", 1000, 600_000, 120_000, 1));
        Thread.sleep(3000);
        long collectorStarting = System.currentTimeMillis();
        ChildJvm first = collector(port, data, "kill-collector-1.log");
        awaitUploads(http, 2, 1);
        Thread.sleep(2500);
        first.kill();
        long beforeRestart = 0;
        Thread.sleep(3000);
        collector(port, data, "kill-collector-2.log");
        for (JsonNode p : http.get("/api/v1/processes").json().get("processes")) {
            beforeRestart = Math.max(beforeRestart, p.get("data").get("lastSeq").asLong());
        }
        // Shipping resumes: both workers' sequence numbers move on past what the first collector had.
        awaitUploads(http, 2, beforeRestart + 3);
        for (ChildJvm w : workers) {
            w.process.destroy();
        }
        for (ChildJvm w : workers) {
            w.waitFor(30);
            assertNoStall(w.output());
        }
        JsonNode processes = http.get("/api/v1/processes").json().get("processes");
        assertEquals(2, processes.size());
        for (JsonNode p : processes) {
            JsonNode d = p.get("data");
            assertEquals("exited", p.get("status").asText(), "the final cut arrived: " + p);
            assertEquals(d.get("lastSeq").asLong(), d.get("uploads").asLong(),
                    "every seq from 1 to the last is stored: nothing acknowledged or spooled was lost: " + p);
            assertEquals("0", p.get("health").get("drops").asText(), p.toString());
            assertTrue(Long.parseLong(p.get("health").get("retries").asText()) > 0,
                    "the agent did retry while the collector was away: " + p);
            assertChunksContiguous(http, p.get("id").asText(), collectorStarting);
        }
    }

    /** The worker's once-a-second heartbeats never paused: the agent's trouble never reached the app. */
    static void assertNoStall(String out) {
        long prev = -1;
        int beats = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("ALIVE ")) {
                long t = Long.parseLong(line.split(" ")[2].trim());
                if (prev > 0) {
                    assertTrue(t - prev < 5000, "the worker stalled " + (t - prev) + " ms: " + out);
                }
                prev = t;
                beats++;
            }
        }
        assertTrue(beats >= 10, "the worker ran: " + out);
    }

    /** Waits until `count` processes are listed, each with at least minSeq uploads. */
    static void awaitUploads(Http http, int count, long minSeq) throws Exception {
        JsonNode ps = null;
        for (long deadline = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < deadline; Thread.sleep(200)) {
            ps = http.get("/api/v1/processes").json().get("processes");
            boolean all = ps.size() == count;
            for (JsonNode p : ps) {
                all &= p.get("data").get("lastSeq").asLong() >= minSeq;
            }
            if (all) {
                return;
            }
        }
        throw new AssertionError("expected " + count + " processes with seq >= " + minSeq + ": " + ps);
    }

    /** The stored chunks of a process: each one once, in order, each starting where the previous ended. */
    static void assertChunksContiguous(Http http, String id, long collectorStartingMillis) throws Exception {
        byte[] jfr = http.get("/api/v1/export/jfr?process=" + Http.enc(id)).body();
        List<ByteBuffer> chunks = ChunkSplitter.split(ByteBuffer.wrap(jfr)).chunks();
        assertTrue(chunks.size() >= 10, id + " has " + chunks.size() + " chunks");
        long prevEnd = -1;
        for (ByteBuffer c : chunks) {
            long start = c.getLong(32);
            long duration = c.getLong(40);
            if (prevEnd >= 0) {
                long gap = start - prevEnd;
                assertTrue(gap >= 0, "chunk at " + start + " overlaps the previous one (repeated?) by " + -gap + " ns");
                assertTrue(gap < 50_000_000L, "gap of " + gap / 1_000_000 + " ms between chunks: data lost");
            }
            prevEnd = start + duration;
        }
        assertTrue(chunks.get(0).getLong(32) / 1_000_000L < collectorStartingMillis,
                "the first chunk was recorded before the collector was even started: the spool kept it");
    }
}
