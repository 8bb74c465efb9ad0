package dev.mpdiag.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the diagnosis matrix: the sample service healthy or with one planted fault, the check that
 * should flag it, and what that check's evidence must name. The names asserted here are the sample
 * service's; nothing in the checks themselves knows them.
 */
record MatrixScenario(String name, String fault, String expectedCheck, String profile, String jvmOpts) {

    static final String HEALTHY = "healthy";

    MatrixScenario(String name, String fault, String expectedCheck, String profile) {
        this(name, fault, expectedCheck, profile, "");
    }

    /** Healthy first (the false-alarm control), then every planted fault. */
    static List<MatrixScenario> standard() {
        return List.of(
                new MatrixScenario(HEALTHY, null, null, "default"),
                new MatrixScenario("contention", "contention", "lock-hotspot", "default"),
                // Leak candidates need jdk.OldObjectSample, which only the leak profile records.
                // The leak stops at half the heap (16 KB a request): at -Xmx512m and the 1,900 requests/s per worker
                // of an idle machine that is about 9 s of load (computed), before the warm-up ends, and a fresh
                // clone saw the judged floor flat. With 2 GB it climbs for the whole 35 s run at that rate.
                new MatrixScenario("heap-leak", "heap-leak", "heap-trend", "leak", "-Xmx2g"),
                new MatrixScenario("thread-leak", "thread-leak", "thread-pileup", "default"),
                new MatrixScenario("fd-leak", "fd-leak", "fd-leak", "default"),
                new MatrixScenario("slow-worker", "slow-worker", "imbalance", "default"),
                new MatrixScenario("ctx-storm", "ctx-storm", "ctx-storm", "default"),
                // A steady 3 MB per request is a high but stable allocation rate: its symptom is GC frequency.
                new MatrixScenario("alloc-burst", "alloc-burst", "gc-pressure", "default"));
    }

    static MatrixScenario byName(String name) {
        for (MatrixScenario s : standard()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario '" + name + "'; known: "
                + standard().stream().map(MatrixScenario::name).toList());
    }

    String service() {
        return "matrix-" + name;
    }

    /**
     * What is wrong with the evidence of the expected check's flagged result (one result object of
     * /api/v1/checks); empty when it names the right things.
     */
    List<String> evidenceProblems(JsonNode result) {
        List<String> p = new ArrayList<>();
        if (result == null) {
            p.add("never flagged, no evidence");
            return p;
        }
        JsonNode ev = result.path("evidence");
        switch (name) {
            case "contention" -> {
                expect(p, ev.path("monitorClass").asText().contains("LedgerLock"), "monitorClass " + ev.path("monitorClass"));
                expect(p, ev.path("site").asText().contains("LedgerLock.post"), "site " + ev.path("site"));
            }
            case "heap-leak" -> {
                boolean found = false;
                for (JsonNode c : ev.path("leakCandidates")) {
                    String cls = c.path("className").asText();
                    boolean right = cls.contains("RetainedSession") || cls.equals("byte[]");
                    boolean site = (c.path("allocationSite").asText() + c.path("allocationStack")).contains("HeapLeakFault");
                    found |= right && site && c.path("chain").size() > 0;
                }
                expect(p, found, "no leak candidate RetainedSession/byte[] allocated in HeapLeakFault with a GC-root chain: "
                        + ev.path("leakCandidates").toString().substring(0, Math.min(300, ev.path("leakCandidates").toString().length())));
            }
            case "thread-leak" -> {
                boolean found = false;
                for (JsonNode n : ev.path("growingNames")) {
                    found |= n.path("pattern").asText().equals("leaky-worker-#")
                            && n.path("startSite").asText().contains("ThreadLeakFault");
                }
                expect(p, found, "growingNames " + ev.path("growingNames"));
            }
            case "fd-leak" -> {
                expect(p, "file".equals(ev.path("growingKind").asText()), "growingKind " + ev.path("growingKind"));
                expect(p, ev.path("growingPaths").path(0).path("pattern").asText().endsWith("/leak-#.dat"),
                        "growingPaths " + ev.path("growingPaths"));
            }
            case "slow-worker" -> expect(p, ev.path("profileGap").path("outlierName").asText().startsWith("worker 1 "),
                    "outlier " + ev.path("profileGap").path("outlierName") + " (the index label of the slow worker is 1)");
            case "ctx-storm" -> expect(p, ev.path("voluntaryPerSecond").asDouble() > ev.path("involuntaryPerSecond").asDouble(),
                    "voluntary " + ev.path("voluntaryPerSecond") + " involuntary " + ev.path("involuntaryPerSecond"));
            case "alloc-burst" -> {
                boolean found = false;
                for (JsonNode s : ev.path("topAllocationSites")) {
                    found |= s.path("name").asText().contains("AllocBurstFault") || s.path("name").asText().contains("BurstBuffer");
                }
                expect(p, found, "topAllocationSites " + ev.path("topAllocationSites"));
            }
            default -> {
            }
        }
        return p;
    }

    /** The evidence in one short line for the report. */
    String evidenceDigest(JsonNode result) {
        if (result == null) {
            return "-";
        }
        JsonNode ev = result.path("evidence");
        return switch (name) {
            case "contention" -> ev.path("monitorClass").asText() + " at " + ev.path("site").asText()
                    + String.format(" (%.2f threads blocked)", ev.path("blockedThreads").asDouble());
            case "heap-leak" -> {
                JsonNode c = ev.path("leakCandidates").path(0);
                String holder = "";
                for (JsonNode link : c.path("chain")) {
                    if (holder.isEmpty() && link.asText().contains("(static)")) {
                        holder = link.asText();
                    }
                }
                yield String.format("%.1f heap/h fit %.2f; top candidate %s at %s, held via %s (%d refs)",
                        ev.path("sharePerHour").asDouble(), ev.path("fit").asDouble(), c.path("className").asText(),
                        c.path("allocationSite").asText(), holder.isEmpty() ? c.path("rootKind").asText() : holder,
                        c.path("chain").size());
            }
            case "thread-leak" -> {
                JsonNode n = ev.path("growingNames").path(0);
                yield String.format("%.0f threads/min; %s +%d from %s", ev.path("threadsPerMinute").asDouble(),
                        n.path("pattern").asText(), n.path("started").asLong() - n.path("ended").asLong(), n.path("startSite").asText());
            }
            case "fd-leak" -> String.format("%.0f fds/min, kind %s, paths %s", ev.path("fdsPerMinute").asDouble(),
                    ev.path("growingKind").asText(), ev.path("growingPaths").path(0).path("pattern").asText());
            case "slow-worker" -> String.format("%s: %s %.0f%% vs peers %.0f%%; cpu spread %.2f",
                    ev.path("profileGap").path("outlierName").asText(), ev.path("profileGap").path("method").asText(),
                    ev.path("profileGap").path("outlierShare").asDouble() * 100, ev.path("profileGap").path("peerShare").asDouble() * 100,
                    ev.path("cpuSpread").asDouble());
            case "ctx-storm" -> String.format("%.0f voluntary/s, %.0f involuntary/s", ev.path("voluntaryPerSecond").asDouble(),
                    ev.path("involuntaryPerSecond").asDouble());
            case "alloc-burst" -> String.format("%.0f GCs/min, %.1f%% paused; top site %s", ev.path("collectionsPerMinute").asDouble(),
                    ev.path("pauseShare").asDouble() * 100, ev.path("topAllocationSites").path(0).path("name").asText());
            default -> "";
        };
    }

    private static void expect(List<String> problems, boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }
}
