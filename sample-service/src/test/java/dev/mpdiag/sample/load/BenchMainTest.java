package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    void runAtAFixedRateShowsTheOfferedAndTheAchievedRate(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer()) {
            Path json = dir.resolve("paced.json");
            int code = bench("run", "--url", server.url("/hello"), "--duration", "1s", "--connections", "2",
                    "--rate", "100", "--json", json.toString());
            assertEquals(0, code, err());
            String line = out.toString(StandardCharsets.UTF_8).strip();
            assertTrue(line.startsWith("java: ") && line.contains("offered 100.0 req/s, achieved "), line);
            JsonNode n = new ObjectMapper().readTree(json.toFile());
            assertEquals(100, n.path("offeredQps").asDouble(), n.toString());
            long requests = n.path("requests").asLong();
            assertTrue(requests >= 90 && requests <= 110, "100/s for 1 s: " + n);
        }
    }

    /** bench run --collector posts the run (window, mode, figures) to a receiver that answers like the collector. */
    @Test
    void runPostsItsRunToTheCollector() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        collector.createContext("/api/v1/runs", ex -> {
            bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        collector.start();
        try (TestServer server = new TestServer()) {
            long before = System.currentTimeMillis();
            int code = bench("run", "--url", server.url("/hello"), "--duration", "500ms", "--connections", "2",
                    "--load", "java", "--collector", "http://127.0.0.1:" + collector.getAddress().getPort() + "/",
                    "--name", "healthy", "--service", "orders", "--mode", "reuseport");
            long after = System.currentTimeMillis();
            assertEquals(0, code, err());
            assertTrue(err().contains("recorded run #7 'healthy'"), err());
            assertEquals(1, bodies.size(), bodies.toString());
            String body = bodies.get(0);
            assertTrue(body.startsWith("POST application/json {"), body);
            JsonNode n = new ObjectMapper().readTree(body.substring(body.indexOf('{')));
            assertEquals("healthy", n.path("name").asText());
            assertEquals("orders", n.path("service").asText());
            assertEquals("reuseport", n.path("labels").path("mode").asText());
            long from = n.path("from").asLong(), to = n.path("to").asLong();
            assertTrue(before <= from && from < to && to <= after, from + ".." + to + " not within " + before + ".." + after);
            assertTrue(n.path("figures").path("qps").asDouble() > 0, n.toString());
            assertTrue(n.path("figures").path("p99Ms").asDouble() >= n.path("figures").path("p50Ms").asDouble(), n.toString());
            assertEquals(2, n.path("figures").path("processes").asInt(), n.toString());
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void aCollectorThatIsNotThereIsExit1AfterTheResult() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (TestServer server = new TestServer()) {
            int code = bench("run", "--url", server.url("/hello"), "--duration", "300ms", "--connections", "1",
                    "--load", "java", "--collector", "http://127.0.0.1:" + closed);
            assertEquals(1, code, err());
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("java: "), out.toString(StandardCharsets.UTF_8));
            assertTrue(err().contains("could not post the run to http://127.0.0.1:" + closed + "/api/v1/runs"), err());
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
        assertUsage("--collector needs an http URL", "run", "--url", "http://127.0.0.1:1/", "--collector", "127.0.0.1:7070");
        assertUsage("--collector needs an http URL", "seed-table", "--collector", "ftp://x/");
        assertUsage("describe the run recorded with --collector", "run", "--url", "http://127.0.0.1:1/", "--mode", "x");
        assertUsage("wrk cannot pace", "run", "--url", "http://127.0.0.1:1/", "--load", "wrk", "--rate", "100");
        assertUsage("--load must be wrk or java", "run", "--url", "http://127.0.0.1:1/", "--load", "ab", "--rate", "100");
        assertUsage("--rate needs requests per second", "run", "--url", "http://127.0.0.1:1/", "--rate", "0");
        assertUsage("--rate needs requests per second", "run", "--url", "http://127.0.0.1:1/", "--rate", "fast");
        assertUsage("unknown option '--rate'", "seed-table", "--rate", "100");
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
