package dev.mpdiag.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.HotWorker;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real MCP exchange with a real collector (target/mpdiag.jar, with an access token) fed by two worker JVMs
 * carrying the real agent: initialize, tools/list and a tools/call of every tool, each answer compared with the
 * /api/v1 endpoint it shares its code with, and bad requests answered as JSON-RPC errors.
 */
class McpIT {
    static final Path OUT = Path.of("target", "it-mcp");
    static final String TOKEN = "mcp-token-7c4a8d09ca3762af";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = HotWorker.class.getName() + ".";
    final List<ChildJvm> children = new ArrayList<>();
    Http http;
    int nextId = 1;

    @AfterEach
    void cleanup() {
        children.forEach(ChildJvm::close);
    }

    @Test
    void anAssistantFindsWhyOneWorkerDiffersFromLiveData() throws Exception {
        Path dir = Dirs.fresh(OUT);
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        int port = ChildJvm.freePort();
        children.add(ChildJvm.collector(Path.of("target", "mpdiag.jar"), port, dir.resolve("data"),
                dir.resolve("collector.log"), "--token-file", tokenFile.toString()));
        http = new Http(port);

        // The same token as the API: none or a wrong one is refused before any JSON-RPC is read.
        byte[] ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(401, http.post("/mcp", Map.of("Content-Type", "application/json"), ping).status());
        assertEquals(401, http.post("/mcp", Map.of("Authorization", "Bearer wrong-token-0000"), ping).status());

        JsonNode init = rpc("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "McpIT", "version", "1")));
        assertEquals("2025-06-18", init.at("/result/protocolVersion").asText(), init.toString());
        assertEquals("mpdiag", init.at("/result/serverInfo/name").asText());
        assertTrue(init.at("/result/capabilities/tools").isObject(), init.toString());
        assertEquals(McpEndpoint.VERSIONS.get(0), rpc("initialize", Map.of("protocolVersion", "1999-01-01"))
                .at("/result/protocolVersion").asText(), "a version it does not speak: its newest");
        Http.Reply initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, initialized.status());
        assertEquals(0, initialized.body().length);
        assertTrue(rpc("ping", Map.of()).get("result").isObject());

        JsonNode tools = rpc("tools/list", Map.of()).at("/result/tools");
        List<String> names = new ArrayList<>();
        for (JsonNode t : tools) {
            names.add(t.get("name").asText());
            assertEquals("object", t.at("/inputSchema/type").asText(), t.toString());
            assertTrue(t.at("/annotations/readOnlyHint").asBoolean(), t.toString());
            assertFalse(t.get("description").asText().isBlank());
        }
        assertEquals(List.of("list_processes", "checks", "top_frames", "diff", "series", "locks", "jmc_rules"), names);

        // Two workers: A keeps its own hot method; B moves its own share to markedWork after 9 s.
        ChildJvm a = worker(port, "A", 60_000, 0);
        ChildJvm b = worker(port, "B", 9_000, 1);
        JsonNode listed = null;
        for (long deadline = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < deadline; Thread.sleep(300)) {
            listed = tool("list_processes", Map.of());
            if (listed.at("/services/0/live").asInt() == 2) {
                break;
            }
        }
        assertEquals("mcpsvc", listed.at("/services/0/service").asText(), listed.toString());
        assertEquals(2, listed.at("/services/0/live").asInt(), "both workers live while they run: " + listed);
        for (JsonNode p : listed.get("processes")) {
            assertTrue(p.at("/health/cpuShare").isTextual(), "the agent's own cost is in its health: " + p);
        }
        long markB = awaitMark(b);
        assertEquals(0, a.waitFor(90), a.output());
        assertEquals(0, b.waitFor(90), b.output());
        // Once both have sent their final cut the data stands still, so each tool can be held to its endpoint.
        String idA = null;
        String idB = null;
        for (long deadline = System.currentTimeMillis() + 30_000; System.currentTimeMillis() < deadline; Thread.sleep(300)) {
            listed = tool("list_processes", Map.of("service", "mcpsvc"));
            if (listed.get("processes").size() == 2 && listed.findValues("status").stream()
                    .allMatch(s -> s.asText().equals("exited"))) {
                break;
            }
        }
        for (JsonNode p : listed.get("processes")) {
            assertEquals("exited", p.get("status").asText(), listed.toString());
            if (p.at("/labels/index").asText().equals("0")) {
                idA = p.get("id").asText();
            } else {
                idB = p.get("id").asText();
            }
        }
        assertNotNull(idA);
        assertNotNull(idB);

        // top_frames: A's own method is there and B's is not; the total is the flame graph's.
        JsonNode top = tool("top_frames", Map.of("process", idA, "limit", 10));
        Map<String, Double> selfA = shares(top.get("frames"), "selfShare");
        assertTrue(selfA.getOrDefault(PREFIX + "ownWorkA", 0.0) > 0.15, top.toString());
        assertTrue(selfA.getOrDefault(PREFIX + "sharedWork", 0.0) > 0.3, top.toString());
        assertFalse(selfA.containsKey(PREFIX + "ownWorkB"), top.toString());
        assertEquals(api("/api/v1/flamegraph?process=" + Http.enc(idA)).get("total").asLong(), top.get("total").asLong());
        assertTrue(top.get("frames").size() <= 10);

        // "Why does B differ from A since its mark?": markedWork grew from nothing, ownWorkA went.
        Map<String, Object> since = Map.of("process", idB, "from", Long.toString(markB));
        JsonNode diff = tool("diff", Map.of("a", Map.of("process", idA), "b", since, "limit", 8));
        Map<String, JsonNode> rows = new HashMap<>();
        diff.get("rows").forEach(r -> rows.put(r.get("name").asText(), r));
        JsonNode marked = rows.get(PREFIX + "markedWork");
        assertNotNull(marked, diff.toString());
        assertEquals(0.0, marked.get("beforeSelf").asDouble(), diff.toString());
        assertTrue(marked.get("afterSelf").asDouble() > 0.15, diff.toString());
        assertTrue(rows.get(PREFIX + "ownWorkA").get("afterSelf").asDouble() == 0.0, diff.toString());
        JsonNode apiDiff = api("/api/v1/diff?limit=8&a.process=" + Http.enc(idA) + "&b.process=" + Http.enc(idB)
                + "&b.from=" + markB);
        assertEquals(apiDiff.get("rows"), diff.get("rows"), "the tool and the endpoint rank the same rows");
        assertEquals(apiDiff.at("/b/total"), diff.at("/b/total"));

        // series, checks, locks: the same answers as their endpoints.
        JsonNode series = tool("series", Map.of("process", List.of(idA, idB), "metric", "cpu.jvm"));
        assertEquals(2, series.get("series").size(), series.toString());
        assertTrue(series.at("/series/0/points").size() >= 5, series.toString());
        assertEquals(api("/api/v1/series?metric=cpu.jvm&process=" + Http.enc(idA) + "&process=" + Http.enc(idB))
                .get("series"), series.get("series"));
        JsonNode checks = tool("checks", Map.of("service", "mcpsvc"));
        assertTrue(checks.get("results").size() >= 5, checks.toString());
        for (JsonNode r : checks.get("results")) {
            assertTrue(r.has("check") && r.has("verdict") && r.has("summary") && r.has("evidence"), r.toString());
        }
        assertEquals(api("/api/v1/checks?service=mcpsvc").get("results"), checks.get("results"));
        assertEquals(api("/api/v1/locks?limit=3").get("locks"), tool("locks", Map.of("limit", 3)).get("locks"));

        JsonNode rules = tool("jmc_rules", Map.of("process", idA));
        assertEquals(idA, rules.get("process").asText());
        assertTrue(rules.get("findings").size() > 5, rules.toString());
        for (JsonNode f : rules.get("findings")) {
            assertTrue(List.of("OK", "INFO", "WARNING", "NA", "IGNORE").contains(f.get("severity").asText()), f.toString());
        }

        // Bad arguments and bad requests: JSON-RPC errors that say what was wrong.
        assertError(call("top_frames", Map.of("type", "bogus")), McpEndpoint.INVALID_PARAMS, "'bogus' is not a profile type");
        assertError(call("top_frames", Map.of("proces", idA)), McpEndpoint.INVALID_PARAMS, "'proces' is not a parameter");
        assertError(call("series", Map.of("process", idA)), McpEndpoint.INVALID_PARAMS, "cpu.jvm");
        assertError(call("diff", Map.of("a", Map.of("process", "no/such/1/2"), "b", Map.of())), McpEndpoint.INVALID_PARAMS,
                "no/such/1/2");
        assertError(call("jmc_rules", Map.of()), McpEndpoint.INVALID_PARAMS, "exactly one process");
        assertError(call("top_frames", Map.of("from", "yesterday-ish")), McpEndpoint.INVALID_PARAMS, "is not a time");
        assertError(call("nosuch", Map.of()), McpEndpoint.INVALID_PARAMS, "unknown tool");
        assertError(rpc("tools/call", Map.of("name", "checks", "arguments", 5)), McpEndpoint.INVALID_PARAMS,
                "must be a JSON object");
        assertError(rpc("resources/list", Map.of()), McpEndpoint.METHOD_NOT_FOUND, "resources/list");
        JsonNode parse = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":").json();
        assertError(parse, McpEndpoint.PARSE_ERROR, "parse error");
        assertTrue(parse.get("id").isNull(), parse.toString());
        assertError(post("{\"id\":3,\"method\":\"ping\"}").json(), McpEndpoint.INVALID_REQUEST, "JSON-RPC 2.0");
        JsonNode batch = post("[{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}]").json();
        assertEquals(1, batch.size(), "one answer per request, none for a notification: " + batch);
        assertEquals(41, batch.get(0).get("id").asInt());

        assertEquals(405, http.get("/mcp", auth()).status(), "no server-sent event stream to GET");
        Map<String, String> foreign = new HashMap<>(auth());
        foreign.put("Origin", "http://attacker.example");
        assertEquals(403, http.post("/mcp", foreign, ping).status(), "a foreign web page's request is refused");
    }

    ChildJvm worker(int port, String which, long markAfter, int index) throws Exception {
        List<String> args = List.of("-Xmx128m", "-javaagent:" + Recordings.agentJar() + "=collector=http://127.0.0.1:"
                + port + ",service=mcpsvc,interval=1s,label.role=worker,label.index=" + index + ",token.file="
                + OUT.resolve("token").toAbsolutePath(), "-cp", Path.of("target", "test-classes").toAbsolutePath()
                .toString(), HotWorker.class.getName(), which, Long.toString(markAfter), "20000");
        ChildJvm w = ChildJvm.start(OUT.resolve("worker-" + which + ".log"), args);
        children.add(w);
        return w;
    }

    static long awaitMark(ChildJvm w) throws Exception {
        return HotWorker.awaitMark(w, 60_000);
    }

    static Map<String, Double> shares(JsonNode frames, String field) {
        Map<String, Double> out = new HashMap<>();
        frames.forEach(f -> out.put(f.get("name").asText(), f.get(field).asDouble()));
        return out;
    }

    static void assertError(JsonNode answer, int code, String says) {
        assertFalse(answer.has("result"), answer.toString());
        assertEquals(code, answer.at("/error/code").asInt(), answer.toString());
        assertTrue(answer.at("/error/message").asText().contains(says), answer.toString());
    }

    Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + TOKEN);
    }

    JsonNode api(String pathAndQuery) throws Exception {
        Http.Reply r = http.get(pathAndQuery, auth());
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    /** A tool's structured answer, checked to be a success whose text content is the same JSON. */
    JsonNode tool(String name, Map<String, Object> arguments) throws Exception {
        JsonNode r = call(name, arguments);
        assertFalse(r.has("error"), r.toString());
        assertFalse(r.at("/result/isError").asBoolean(), r.toString());
        JsonNode structured = r.at("/result/structuredContent");
        assertEquals("text", r.at("/result/content/0/type").asText());
        assertEquals(structured, JSON.readTree(r.at("/result/content/0/text").asText()));
        return structured;
    }

    JsonNode call(String name, Map<String, Object> arguments) throws Exception {
        return rpc("tools/call", Map.of("name", name, "arguments", arguments));
    }

    JsonNode rpc(String method, Object params) throws Exception {
        int id = nextId++;
        Map<String, Object> m = Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params);
        Http.Reply r = post(JSON.writeValueAsString(m));
        assertEquals(200, r.status(), r.text());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode answer = r.json();
        assertEquals(id, answer.get("id").asInt(), answer.toString());
        assertEquals("2.0", answer.get("jsonrpc").asText());
        return answer;
    }

    Http.Reply post(String body) throws Exception {
        Map<String, String> h = new HashMap<>(auth());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        return http.post("/mcp", h, body.getBytes(StandardCharsets.UTF_8));
    }
}
