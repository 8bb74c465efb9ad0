package dev.mpdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mpdiag analyze` on real recordings of the test workload names its hot method, allocated class and lock first. */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    private JsonNode analyze(Path recording, String... extra) throws Exception {
        Path json = tmp.resolve("report.json");
        String[] args = new String[4 + extra.length];
        args[0] = "analyze";
        args[1] = "--json";
        args[2] = json.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = recording.toString();
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Hot methods ("), r.out());
        return new ObjectMapper().readTree(json.toFile());
    }

    private static void assertWorkloadFound(JsonNode process) {
        JsonNode hot = process.path("hotMethods").path("cpu");
        assertTrue(hot.size() > 0, "no cpu methods");
        assertTrue(hot.get(0).path("name").asText().endsWith("Workload$HotLoop.spin"), "first hot method: " + hot.get(0));
        JsonNode alloc = process.path("allocationClasses");
        assertTrue(alloc.get(0).path("name").asText().endsWith("Workload$Payload")
                        || alloc.get(0).path("name").asText().equals("long[]"),
                "first allocated class: " + alloc.get(0));
        JsonNode sites = process.path("allocationSites");
        boolean payloadSite = false;
        for (JsonNode s : sites) {
            payloadSite |= s.path("name").asText().contains("Workload$Payload");
        }
        assertTrue(payloadSite, "Payload allocation site missing: " + sites);
        JsonNode locks = process.path("locks");
        assertTrue(locks.size() > 0, "no contended monitor");
        assertTrue(locks.get(0).path("monitorClass").asText().endsWith("Workload$SharedLedger"), "first lock: " + locks.get(0));
        assertTrue(locks.get(0).path("topSite").asText().contains("SharedLedger.post"), "lock site: " + locks.get(0));
        assertTrue(locks.get(0).path("blockedNanos").asLong() > 0);
    }

    @Test
    void jdk17RecordingNamesHotMethodAllocationAndLock() throws Exception {
        JsonNode doc = analyze(Recordings.jdk17(), "--jmc=off");
        JsonNode p = doc.path("processes").get(0);
        assertWorkloadFound(p);
        assertTrue(p.path("jvm").path("version").asText().contains("17."), p.path("jvm").toString());
        assertTrue(p.path("jvm").path("pid").asLong() > 0);
        assertTrue(p.path("gc").path("collections").asLong() > 0, "GC summary empty");
        assertTrue(p.path("series").has("heap.afterGc"));
        assertEquals(1, doc.path("schemaVersion").asInt());
    }

    @Test
    void jdk25RecordingIsReadToo() throws Exception {
        Path rec = Recordings.jdk25();
        Assumptions.assumeTrue(rec != null, "JDK 25 not installed");
        JsonNode p = analyze(rec, "--jmc=off").path("processes").get(0);
        assertWorkloadFound(p);
        assertTrue(p.path("jvm").path("version").asText().contains("25"), p.path("jvm").toString());
    }

    @Test
    void asyncProfilerRecordingIsRead() throws Exception {
        JsonNode p = analyze(Recordings.asyncProfiler(), "--jmc=off").path("processes").get(0);
        assertWorkloadFound(p);
    }

    @Test
    void asyncProfilerWallClockProfileSeesTheSleepingLockHolders() throws Exception {
        JsonNode p = analyze(Recordings.asyncProfilerWall(), "--jmc=off").path("processes").get(0);
        assertTrue(p.path("profiles").has("wall"), p.path("profiles").toString());
        assertTrue(p.path("profiles").path("wall").path("totalWeight").asLong() > 100);
        boolean post = false;
        for (JsonNode row : p.path("hotMethods").path("wall")) {
            post |= row.path("name").asText().endsWith("Workload$SharedLedger.post");
        }
        // Wall time also counts threads that are off-CPU: the ledger threads sleep inside post().
        Path collapsed = tmp.resolve("wall.collapsed");
        Cli.Run r = Cli.run("flame", "-t", "wall", "-o", collapsed.toString(), Recordings.asyncProfilerWall().toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(post || Files.readString(collapsed).contains("Workload$SharedLedger.post"), "SharedLedger.post not in wall profile");
        // async-profiler's thread states are kept as leaf frames: the sleeping ledger threads are [sleeping].
        assertTrue(Files.readString(collapsed).lines().anyMatch(l -> l.contains("Workload$SharedLedger.post;")
                && l.matches(".*;\\[sleeping\\] \\d+$")), "no [sleeping] leaf under SharedLedger.post");
    }

    @Test
    void agentEventGivesPerProcessContextSwitchesAndDescriptors() throws Exception {
        JsonNode p = analyze(Recordings.withAgent(), "--jmc=off").path("processes").get(0);
        JsonNode cs = p.path("contextSwitches");
        assertTrue(cs.path("perProcess").asBoolean(), cs.toString());
        assertTrue(cs.path("voluntaryPerSecond").asDouble() > 0, cs.toString());
        JsonNode series = p.path("series");
        for (String name : new String[] {"proc.fdTotal", "proc.fdFile", "proc.threads", "proc.rssBytes", "proc.ctxInvoluntary"}) {
            assertTrue(series.has(name), name + " missing: " + series.fieldNames());
        }
        assertTrue(series.path("proc.threads").path("max").asDouble() >= 5, series.path("proc.threads").toString());
        assertTrue(series.path("proc.rssBytes").path("last").asDouble() > 1 << 20);
        // Descriptors by path pattern: every JVM keeps its runtime image, lib/modules, open.
        List<String> paths = new ArrayList<>();
        series.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("fd.path:")) {
                paths.add(n);
            }
        });
        assertTrue(paths.stream().anyMatch(n -> n.endsWith("/lib/modules")), "fd.path series: " + paths);
    }

    @Test
    void severalFilesAreReportedPerProcessAndMerged() throws Exception {
        Path json = tmp.resolve("two.json");
        Cli.Run r = Cli.run("analyze", "--jmc=off", "--json", json.toString(), Recordings.jdk17().toString(),
                Recordings.jdk17Second().toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("All 2 processes merged"), r.out());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, doc.path("processes").size());
        long a = doc.path("processes").get(0).path("profiles").path("cpu").path("totalWeight").asLong();
        long b = doc.path("processes").get(1).path("profiles").path("cpu").path("totalWeight").asLong();
        assertEquals(a + b, doc.path("merged").path("profiles").path("cpu").path("totalWeight").asLong());
        assertWorkloadFound(doc.path("merged"));
    }

    @Test
    void jmcFindingsAreReportedAndGateFails() throws Exception {
        Path json = tmp.resolve("jmc.json");
        Cli.Run r = Cli.run("analyze", "--json", json.toString(), "--fail-on", "info", Recordings.jdk17().toString());
        JsonNode p = new ObjectMapper().readTree(json.toFile()).path("processes").get(0);
        JsonNode findings = p.path("jmcFindings");
        assertTrue(findings.isArray() && findings.size() > 10, "JMC findings: " + p.path("jmcError"));
        boolean infoOrWarning = false;
        for (JsonNode f : findings) {
            assertFalse(f.path("id").asText().isBlank());
            infoOrWarning |= f.path("severity").asText().matches("INFO|WARNING");
        }
        assertTrue(infoOrWarning, "the contended workload should raise at least one JMC info or warning");
        assertEquals(Main.EXIT_GATE, r.exit(), r.err());
        assertTrue(r.err().contains("--fail-on reached"), r.err());
    }

    @Test
    void gateOnARuleThatDoesNotFirePasses() throws Exception {
        // The workload never calls System.gc(), so JMC's SystemGc rule stays below info and the gate holds.
        Cli.Run r = Cli.run("analyze", "--fail-on", "SystemGc:info", Recordings.jdk17().toString());
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void htmlReportIsSelfContained() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Run r = Cli.run("analyze", "--jmc=off", "--html", html.toString(), Recordings.jdk17().toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("class FlameGraph"), "flame.js not inlined");
        assertTrue(page.contains("Workload$HotLoop.spin"));
        assertFalse(page.contains("src=\"http"), "report must not load anything from the network");
        assertNotNull(page);
    }
}
