package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The founding table end to end through the packaged jar: supervisor with one and two pinned workers, and the
 * single all-cores JVM, each started, loaded by the built-in generator, measured and stopped.
 */
class BenchIT {
    private static final Path JAR = Path.of("target", "sample-service.jar");
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void seedTableMeasuresThreeRows(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package the module first: " + JAR.toAbsolutePath());
        Path out = dir.resolve("bench-out");
        Path log = dir.resolve("bench.log");
        // 32 connections: the kernel spreads SO_REUSEPORT connections by a hash of their ports, so with 8 all landed on
        // one of the two workers in a fresh-clone run (1 run in 128); with 32 that is 1 in 2^31.
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "bench", "seed-table", "--duration", "3s", "--warmup", "2s", "--connections", "32",
                "--workers", "2", "--load", "java", "--out", out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "bench seed-table did not finish in " + TIMEOUT_SECONDS + " s:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("| (a) one worker pinned to one core | 1 |"), output);

        JsonNode root = new ObjectMapper().readTree(out.resolve("seed-table.json").toFile());
        JsonNode rows = root.path("rows");
        assertEquals(3, rows.size(), root.toString());
        int[] processes = {1, 2, 1};
        for (int i = 0; i < 3; i++) {
            JsonNode row = rows.get(i);
            assertTrue(row.path("qps").asDouble() > 0, row.toString());
            assertTrue(row.path("requests").asLong() > 0, row.toString());
            assertEquals(0, row.path("errors").asLong(), row.toString());
            assertEquals(processes[i], row.path("cpu").size(), row.toString());
            for (JsonNode cpu : row.path("cpu")) {
                assertTrue(cpu.path("pid").asLong() > 0, cpu.toString());
                assertTrue(cpu.path("cpuPercent").isNumber() && cpu.path("cpuPercent").asDouble() > 0, cpu.toString());
                // Every serving process is gone after its row: SIGTERM to the service reaped them all.
                assertTrue(ProcessHandle.of(cpu.path("pid").asLong()).map(h -> !h.isAlive()).orElse(true),
                        "process still running: " + cpu);
            }
            assertEquals(0, row.path("leftoverPids").size(), row.toString());
            assertTrue(row.path("loadgenCpuPercent").asDouble() > 0, row.toString());
        }
        // The two workers really share the port: both answered requests.
        assertEquals(2, rows.get(1).path("workerCounts").size(), rows.get(1).toString());
        assertTrue(root.path("target").path("ratio").asDouble() > 0, root.toString());
        assertTrue(Files.readString(out.resolve("seed-table.md")).contains("| (c) one JVM"), "markdown table missing");
    }
}
