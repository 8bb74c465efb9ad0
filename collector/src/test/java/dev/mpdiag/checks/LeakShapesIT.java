package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.Recordings;
import dev.mpdiag.testing.ShapeWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The leak checks on recordings whose shape the test controls ({@link ShapeWorkload}, paced by the clock so a
 * busy machine records the same shape): threads, files and heap that grew in the first seconds and held, that
 * climb for the whole run, that grew and came back, and a healthy program whose pool fills once while it
 * allocates heavily. Each is recorded in its own JVM with mpagent (collector=none, for the descriptor counts)
 * and JFR's default profile, then read with {@code mpdiag analyze}.
 */
class LeakShapesIT {
    static final int SECONDS = 30;
    static final Path OUT = Path.of("target", "it-leak-shapes").toAbsolutePath();
    static final List<String> MODES = List.of("held", "climbing", "released", "healthy");
    static final Map<String, JsonNode> CHECKS = new LinkedHashMap<>();

    @BeforeAll
    static void record() throws Exception {
        Dirs.fresh(OUT);
        Path profile = Path.of("..", "profiles", "default.jfc").toAbsolutePath();
        Map<String, Process> running = new LinkedHashMap<>();
        for (String mode : MODES) {
            Path jfr = OUT.resolve(mode + ".jfr");
            List<String> cmd = new ArrayList<>(List.of(Recordings.javaOf(System.getProperty("java.home")), "-Xmx256m",
                    "-XX:+UseG1GC"));
            if (mode.equals("healthy")) {
                // A small young generation makes its heavy allocation collect several times a second.
                cmd.add("-Xmn16m");
            }
            cmd.addAll(List.of("-javaagent:" + Recordings.agentJar() + "=collector=none",
                    "-XX:StartFlightRecording=filename=" + jfr + ",settings=" + profile,
                    "-cp", Path.of("target", "test-classes").toAbsolutePath().toString(), ShapeWorkload.class.getName(),
                    mode, Integer.toString(SECONDS), OUT.resolve(mode + "-files").toString()));
            running.put(mode, new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(OUT.resolve(mode + ".log").toFile()).start());
        }
        try {
            analyze(running);
        } finally {
            // A failed recording or analysis must not leave the other children running.
            running.values().forEach(Process::destroyForcibly);
        }
    }

    private static void analyze(Map<String, Process> running) throws Exception {
        for (Map.Entry<String, Process> e : running.entrySet()) {
            if (!e.getValue().waitFor(SECONDS + 90, TimeUnit.SECONDS)) {
                e.getValue().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertEquals(0, e.getValue().exitValue(), e.getKey() + ": " + Files.readString(OUT.resolve(e.getKey() + ".log")));
            Path json = OUT.resolve(e.getKey() + ".json");
            Cli.Run run = Cli.run("analyze", "--quiet", "--jmc=off", "--json", json.toString(),
                    OUT.resolve(e.getKey() + ".jfr").toString());
            assertTrue(run.exit() == 0, e.getKey() + ": analyze exit " + run.exit() + "\n" + run.err());
            JsonNode checks = new ObjectMapper().readTree(json.toFile()).path("checks");
            CHECKS.put(e.getKey(), checks);
            System.out.println("== " + e.getKey());
            for (JsonNode r : checks) {
                System.out.printf("  %-16s %-15s %s%n", r.path("check").asText(), r.path("verdict").asText(),
                        r.path("summary").asText());
            }
        }
    }

    static JsonNode result(String mode, String check) {
        for (JsonNode r : CHECKS.get(mode)) {
            if (r.path("check").asText().equals(check)) {
                return r;
            }
        }
        return null;
    }

    static Executable verdict(String mode, String check, List<String> verdicts, String shape) {
        return () -> {
            JsonNode r = result(mode, check);
            assertNotNull(r, mode + ": no " + check);
            String line = mode + ": " + check + " " + r.path("verdict").asText() + ": " + r.path("summary").asText();
            assertTrue(verdicts.contains(r.path("verdict").asText()), line + " (wanted one of " + verdicts + ")");
            if (shape != null) {
                assertEquals(shape, r.path("evidence").path("shape").asText(), line);
            }
        };
    }

    static final List<String> FLAGGED = List.of("WARN", "FAIL");
    static final List<String> QUIET = List.of("OK");

    @Test
    void aLeakThatGrewEarlyAndHeldIsFlaggedByItsSize() {
        List<Executable> checks = new ArrayList<>(List.of(
                verdict("held", "thread-pileup", FLAGGED, "grew-and-held"),
                verdict("held", "fd-leak", FLAGGED, "grew-and-held"),
                verdict("held", "heap-trend", FLAGGED, "grew-and-held")));
        checks.add(() -> {
            JsonNode r = result("held", "thread-pileup");
            JsonNode top = r.path("evidence").path("growingNames").path(0);
            assertEquals("stuck-worker-#", top.path("pattern").asText(), r.toString());
            assertTrue(top.path("started").asLong() - top.path("ended").asLong() >= 590, top.toString());
            assertTrue(r.path("summary").asText().contains("stuck-worker-# never ended"), r.path("summary").asText());
        });
        checks.add(() -> {
            JsonNode r = result("held", "fd-leak");
            assertEquals("file", r.path("evidence").path("growingKind").asText(), r.toString());
            // The early baseline is the least count of the window's first tenth: the first sample may already see
            // some of the files opened, but most of the 800 are growth.
            assertTrue(r.path("evidence").path("growth").asDouble() >= 500, r.toString());
        });
        assertAll(checks);
    }

    @Test
    void aLeakThatKeepsClimbingIsFlaggedAsClimbing() {
        assertAll(verdict("climbing", "thread-pileup", FLAGGED, "climbing"),
                verdict("climbing", "fd-leak", FLAGGED, "climbing"),
                verdict("climbing", "heap-trend", FLAGGED, "climbing"));
    }

    @Test
    void whatGrewAndCameBackIsNoLeak() {
        assertAll(verdict("released", "thread-pileup", QUIET, "grew-and-came-back"),
                verdict("released", "fd-leak", QUIET, "grew-and-came-back"),
                verdict("released", "heap-trend", List.of("OK", "NOT_APPLICABLE"), null));
    }

    @Test
    void aPoolThatFillsOnceAndHeavyShortLivedAllocationAreHealthy() {
        List<Executable> checks = new ArrayList<>();
        for (JsonNode r : CHECKS.get("healthy")) {
            String v = r.path("verdict").asText();
            checks.add(() -> assertTrue(!FLAGGED.contains(v), "healthy: " + r.path("check").asText() + " " + v + ": "
                    + r.path("summary").asText()));
        }
        checks.add(verdict("healthy", "thread-pileup", QUIET, null));
        checks.add(verdict("healthy", "fd-leak", QUIET, null));
        checks.add(verdict("healthy", "gc-pressure", QUIET, null));
        checks.add(() -> assertTrue(result("healthy", "gc-pressure").path("evidence").path("collectionsPerMinute").asDouble() >= 300,
                "the healthy program collects often: " + result("healthy", "gc-pressure")));
        assertAll(checks);
    }
}
