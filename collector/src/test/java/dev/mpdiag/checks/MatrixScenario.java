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
                // Leak candidates need jdk.OldObjectSample, which only the leak profile records. The leak grows a 32nd
                // of the max heap a second in time up to half of it, so G1's old cycles run within the run.
                new MatrixScenario("heap-leak", "heap-leak", "heap-trend", "leak"),
                new MatrixScenario("thread-leak", "thread-leak", "thread-pileup", "default"),
                new MatrixScenario("fd-leak", "fd-leak", "fd-leak", "default"),
                new MatrixScenario("slow-worker", "slow-worker", "imbalance", "default"),
                new MatrixScenario("ctx-storm", "ctx-storm", "ctx-storm", "default"),
                // 800 MB/s with the last 16 MB kept alive: young collections copy it, a share of time in pauses.
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
            // The fault's own switches are voluntary (64 hand-offs a request, about 19,000/s at 300 requests/s; a healthy
            // worker makes about 1,000). Involuntary ones depend on what else wants the core: on a busy machine they
            // outnumbered the voluntary ones, so they are not compared.
            case "ctx-storm" -> expect(p, ev.path("voluntaryPerSecond").asDouble() >= 5_000,
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
                yield String.format("%s, %.0f%% of the heap held, %.1f heap/h; top candidate %s at %s, held via %s (%d refs)",
                        ev.path("shape").asText(), ev.path("heldShare").asDouble() * 100, ev.path("sharePerHour").asDouble(),
                        c.path("className").asText(),
                        c.path("allocationSite").asText(), holder.isEmpty() ? c.path("rootKind").asText() : holder,
                        c.path("chain").size());
            }
            case "thread-leak" -> {
                JsonNode n = ev.path("growingNames").path(0);
                yield String.format("%s +%.0f threads, %.0f/min; %s +%d from %s", ev.path("shape").asText(),
                        ev.path("growth").asDouble(), ev.path("threadsPerMinute").asDouble(),
                        n.path("pattern").asText(), n.path("started").asLong() - n.path("ended").asLong(), n.path("startSite").asText());
            }
            case "fd-leak" -> String.format("%s +%.0f fds, %.0f/min, kind %s, paths %s", ev.path("shape").asText(),
                    ev.path("growth").asDouble(), ev.path("fdsPerMinute").asDouble(),
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
