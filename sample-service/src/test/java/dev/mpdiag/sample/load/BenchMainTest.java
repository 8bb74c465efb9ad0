package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int bench(String... args) {
        return BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runPrintsOneLineAndWritesJson(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer()) {
            Path json = dir.resolve("sub/run.json");
            int code = bench("run", "--url", server.url("/hello"), "--duration", "500ms", "--connections", "2",
                    "--load", "java", "--json", json.toString());
            assertEquals(0, code, err());
            String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
            assertEquals(1, lines.length, out.toString(StandardCharsets.UTF_8));
            assertTrue(lines[0].startsWith("java: "), lines[0]);
            JsonNode n = new ObjectMapper().readTree(json.toFile());
            assertTrue(n.path("requests").asLong() > 0, n.toString());
            assertTrue(n.path("qps").asDouble() > 0, n.toString());
            assertEquals(2, n.path("workerCounts").size(), n.toString());
        }
    }

    @Test
    void badOptionsExitWith2AndSayWhy() {
        assertUsage("unknown bench command", "frobnicate");
        assertUsage("run needs --url", "run");
        assertUsage("unknown option", "run", "--url", "http://127.0.0.1:1/", "--bogus", "1");
        assertUsage("needs a value", "run", "--url");
        assertUsage("--duration", "run", "--url", "http://127.0.0.1:1/", "--duration", "10x");
        assertUsage("--duration must be more than 0", "run", "--url", "http://127.0.0.1:1/", "--duration", "0s");
        assertUsage("--connections", "run", "--url", "http://127.0.0.1:1/", "--connections", "0");
        assertUsage("--load must be wrk or java", "run", "--url", "http://127.0.0.1:1/", "--load", "ab");
        assertUsage("refusing host", "run", "--url", "http://192.168.1.1:80/");
        assertUsage("must not exceed --connections", "run", "--url", "http://127.0.0.1:1/", "--connections", "2",
                "--threads", "4");
        assertUsage("--path must start with", "seed-table", "--path", "api/work");
        assertUsage("--agent-options needs --agent", "seed-table", "--agent-options", "x=1");
        assertUsage("--agent: no such file", "seed-table", "--agent", "/nonexistent/agent.jar");
        assertUsage("--workers", "seed-table", "--workers", "two");
        assertUsage("--warmup", "seed-table", "--warmup", "soon");
        assertUsage("given twice", "seed-table", "--workers", "1", "--workers", "2");
    }

    private void assertUsage(String expected, String... args) {
        err.reset();
        assertEquals(2, bench(args), String.join(" ", args));
        assertTrue(err().contains(expected), "expected '" + expected + "' in: " + err());
        assertTrue(err().contains("Usage:"), err());
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, bench("--help"));
        assertEquals(0, bench("seed-table", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("seed-table"));
    }
}
