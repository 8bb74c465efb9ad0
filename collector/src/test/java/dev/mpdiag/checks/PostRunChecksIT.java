package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Dirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks post-run, on what a user records without mpagent: the sample service's 2 workers each run with
 * {@code -XX:StartFlightRecording=filename=DIR,settings=profiles/X.jfc}, one or two planted faults switched on in
 * chosen workers, closed-loop load, then {@code mpdiag analyze worker-0.jfr worker-1.jfr --fail-on checks}. Each
 * fault must be flagged in its worker's file with the evidence the live matrix asks for, the healthy pair must
 * raise nothing, and the checks that need mpagent's ProcessResources event must answer not-applicable saying so.
 */
class PostRunChecksIT {
    static final int LOAD_SECONDS = 35;
    /** A fixed offered rate (an open loop) the slowest machine can hold, so every machine records the same load. */
    static final int RATE_PER_WORKER = 300;
    static final Path OUT = Path.of("target", "it-post-run").toAbsolutePath();
    static final Set<String> AGENT_ONLY = Set.of("fd-leak", "ctx-storm");

    static Path root;
    static DiagnoseMatrix.Jars jars;

    @BeforeAll
    static void jars() throws Exception {
        root = DiagnoseMatrix.parse(new String[0]).root();
        jars = DiagnoseMatrix.Jars.snapshot(root, OUT.resolve("jars"));
    }

    /** The analyze run of one recorded pair: exit code, text output and the JSON report's checks. */
    record Analysis(int exit, String text, JsonNode checks) {
        JsonNode result(String check, String subjectPart) {
            for (JsonNode r : checks) {
                if (r.path("check").asText().equals(check) && r.path("subject").asText().contains(subjectPart)) {
                    return r;
                }
            }
            return null;
        }

        String verdict(String check, String subjectPart) {
            JsonNode r = result(check, subjectPart);
            return r == null ? "absent" : r.path("verdict").asText();
        }
    }

    /**
     * Records the service with the given settings while {@code faults} (worker index to fault names) are on, then
     * analyzes the two files named worker-INDEX.jfr.
     */
    static Analysis recordAndAnalyze(String name, String profile, Map<Integer, List<String>> faults) throws Exception {
        return recordAndAnalyze(name, profile, "-Xmx512m", faults);
    }

    static Analysis recordAndAnalyze(String name, String profile, String jvmOpts, Map<Integer, List<String>> faults)
            throws Exception {
        Path dir = Dirs.fresh(OUT.resolve(name));
        Path jfrDir = Files.createDirectories(dir.resolve("jfr"));
        Map<Integer, Long> pids;
        try (SampleServiceRun svc = SampleServiceRun.recording(jars, dir.resolve("service.log"), 2, jfrDir,
                root.resolve("profiles").resolve(profile + ".jfc"), jvmOpts)) {
            svc.awaitReady(2, 150_000);
            for (Map.Entry<Integer, List<String>> e : faults.entrySet()) {
                for (String f : e.getValue()) {
                    svc.faultOn(f, e.getKey());
                }
            }
            pids = svc.pidsByIndex();
            ChildJvm bench = ChildJvm.start(dir.resolve("bench.log"), List.of("-jar", jars.sampleService().toString(),
                    "bench", "run", "--url", "http://127.0.0.1:" + svc.port + "/api/orders",
                    "--duration", LOAD_SECONDS + "s", "--connections", "32", "--rate", Integer.toString(2 * RATE_PER_WORKER)));
            if (!bench.process.waitFor(LOAD_SECONDS + 60, TimeUnit.SECONDS)) {
                bench.process.descendants().forEach(ProcessHandle::destroyForcibly);
                bench.close();
            }
        } // stopping the supervisor stops the workers, which write their recordings as they exit
        List<String> args = new ArrayList<>(List.of("analyze", "--quiet", "--jmc=off", "--fail-on", "checks",
                "--json", dir.resolve("report.json").toString()));
        for (Map.Entry<Integer, Long> e : pids.entrySet()) {
            Path file = recordingOf(jfrDir, e.getValue());
            Path named = dir.resolve("worker-" + e.getKey() + ".jfr");
            Files.move(file, named);
            args.add(named.toString());
        }
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        Files.writeString(dir.resolve("analyze.txt"), run.out() + run.err());
        System.out.println("== post-run " + name + " (" + profile + ", faults " + faults + "): exit " + run.exit());
        JsonNode checks = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("checks");
        for (JsonNode r : checks) {
            System.out.printf("  %-16s %-24s %-15s %s%n", r.path("check").asText(), r.path("subject").asText(),
                    r.path("verdict").asText(), r.path("summary").asText());
        }
        return new Analysis(run.exit(), run.out() + run.err(), checks);
    }

    /** JFR names a recording written to a directory hotspot-pid-PID-id-N-DATE.jfr. */
    static Path recordingOf(Path jfrDir, long pid) throws Exception {
        try (Stream<Path> files = Files.list(jfrDir)) {
            List<Path> mine = files.filter(f -> f.getFileName().toString().contains("-pid-" + pid + "-")).toList();
            assertEquals(1, mine.size(), "one recording of pid " + pid + " in " + jfrDir + ": " + mine);
            return mine.get(0);
        }
    }

    static boolean flagged(String verdict) {
        return verdict.equals("WARN") || verdict.equals("FAIL");
    }

    static Executable flaggedWithEvidence(Analysis a, String scenario, String check, String worker) {
        return () -> {
            JsonNode r = a.result(check, worker);
            assertNotNull(r, check + " has no result for " + worker + "\n" + a.text());
            assertTrue(flagged(r.path("verdict").asText()), scenario + " in " + worker + ": " + check + " is "
                    + r.path("verdict").asText() + ": " + r.path("summary").asText());
            assertEquals(List.of(), MatrixScenario.byName(scenario).evidenceProblems(r), scenario + ": wrong evidence " + r);
        };
    }

    @Test
    void healthyRecordingsRaiseNothingAndTheAgentOnlyChecksSayWhy() throws Exception {
        Analysis a = recordAndAnalyze("healthy", "default", Map.of());
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(0, a.exit(), "--fail-on checks on healthy files\n" + a.text()));
        for (JsonNode r : a.checks()) {
            String id = r.path("check").asText();
            String verdict = r.path("verdict").asText();
            checks.add(() -> assertTrue(!flagged(verdict), id + " raised on healthy files: " + r));
            if (AGENT_ONLY.contains(id)) {
                checks.add(() -> assertEquals("NOT_APPLICABLE", verdict, id + ": " + r));
                checks.add(() -> assertTrue(r.path("summary").asText().contains("mpagent"), id + " says why: " + r));
            }
        }
        // Not vacuous: the checks that JFR alone feeds judged these files.
        // heap-trend may rightly answer that no old-generation collection happened (the live set is unknown).
        for (String id : List.of("thread-pileup", "lock-hotspot", "gc-pressure")) {
            for (String w : List.of("worker-0", "worker-1")) {
                checks.add(() -> assertEquals("OK", a.verdict(id, w), id + " judged " + w));
            }
        }
        checks.add(() -> assertEquals("OK", a.verdict("imbalance", ""), "imbalance judged the pair"));
        assertAll(checks);
    }

    @Test
    void heapAndThreadLeaksAreFoundInTheirWorkersFiles() throws Exception {
        // Leak candidates with GC-root chains need jdk.OldObjectSample with paths, which the leak profile records.
        // The planted heap leak grows a 32nd of the max heap a second up to half of it, then holds it.
        Analysis a = recordAndAnalyze("leaks", "leak", Map.of(0, List.of("heap-leak"), 1, List.of("thread-leak")));
        assertAll(() -> assertEquals(1, a.exit(), "--fail-on checks\n" + a.text()),
                flaggedWithEvidence(a, "heap-leak", "heap-trend", "worker-0"),
                flaggedWithEvidence(a, "thread-leak", "thread-pileup", "worker-1"),
                () -> assertTrue(!flagged(a.verdict("thread-pileup", "worker-0")), "no thread pile-up in worker 0"),
                () -> assertTrue(!flagged(a.verdict("heap-trend", "worker-1")), "no heap trend in worker 1"));
    }

    @Test
    void contentionAndAllocationBurstAreFoundInTheirWorkersFiles() throws Exception {
        Analysis a = recordAndAnalyze("contention-alloc", "default",
                Map.of(0, List.of("contention"), 1, List.of("alloc-burst")));
        assertAll(() -> assertEquals(1, a.exit(), "--fail-on checks\n" + a.text()),
                flaggedWithEvidence(a, "contention", "lock-hotspot", "worker-0"),
                flaggedWithEvidence(a, "alloc-burst", "gc-pressure", "worker-1"),
                () -> assertTrue(!flagged(a.verdict("gc-pressure", "worker-0")), "no GC pressure in worker 0"));
    }

    @Test
    void theSlowWorkerIsNamedFromTheFiles() throws Exception {
        // The fault slows worker k by k documents per request: worker 1 is the slow one.
        Analysis a = recordAndAnalyze("slow-worker", "default", Map.of(0, List.of("slow-worker"), 1, List.of("slow-worker")));
        JsonNode r = a.result("imbalance", "");
        assertNotNull(r, a.text());
        assertAll(() -> assertEquals(1, a.exit(), "--fail-on checks\n" + a.text()),
                () -> assertTrue(flagged(r.path("verdict").asText()), "imbalance: " + r),
                () -> assertTrue(r.path("evidence").path("profileGap").path("outlierName").asText().contains("worker-1"),
                        "outlier " + r.path("evidence").path("profileGap")));
    }
}
