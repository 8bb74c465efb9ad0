package dev.mpdiag.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpdiag.report.JsonReport;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.api.ChecksApi;
import dev.mpdiag.server.api.LocksApi;
import dev.mpdiag.server.api.ProcessesApi;
import dev.mpdiag.server.api.ProfileApi;
import dev.mpdiag.server.api.RulesApi;
import dev.mpdiag.server.api.SeriesApi;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * POST /mcp: the Model Context Protocol over streamable HTTP, JSON-RPC 2.0 answered as plain JSON (the tools are
 * quick reads, so no server-sent event stream is needed and GET is refused). Stateless: no session to lose when
 * the collector restarts. Protocol errors (bad JSON, unknown method, bad arguments) are JSON-RPC errors; a tool
 * that fails while answering says so in its result (isError), as the protocol asks.
 */
public final class McpEndpoint {
    /** Newest first: an initialize asking for one of these gets it, any other gets the newest. */
    static final List<String> VERSIONS = List.of("2025-06-18", "2025-03-26", "2024-11-05");
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;

    private static final ObjectMapper JSON = JsonReport.mapper().copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final McpTools tools;
    private final String version;
    private final Consumer<String> log;

    McpEndpoint(McpTools tools, String version, Consumer<String> log) {
        this.tools = tools;
        this.version = version;
        this.log = log;
    }

    /** The endpoint with its tools answering from the same API classes the collector serves /api/v1 with. */
    public static McpEndpoint of(ProcessesApi processes, ChecksApi checks, ProfileApi profiles, SeriesApi series,
            LocksApi locks, RulesApi rules, String version, Consumer<String> log) {
        return new McpEndpoint(new McpTools(processes, checks, profiles, series, locks, rules), version, log);
    }

    public void post(Context ctx) {
        refuseForeignOrigin(ctx);
        String asked = ctx.header("MCP-Protocol-Version");
        if (asked != null && !VERSIONS.contains(asked)) {
            throw ApiException.badRequest("unsupported protocol version", "MCP-Protocol-Version " + asked
                    + " is not one this collector speaks: " + String.join(", ", VERSIONS));
        }
        JsonNode request;
        try {
            request = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            reply(ctx, error(NullNode.getInstance(), PARSE_ERROR, "parse error: " + e.getOriginalMessage(), null));
            return;
        }
        if (request == null || request.isMissingNode()) {
            reply(ctx, error(NullNode.getInstance(), INVALID_REQUEST, "empty request", null));
            return;
        }
        if (request.isArray()) {
            // a batch (protocol 2025-03-26): one answer per request in it, none for its notifications
            ArrayNode answers = JSON.createArrayNode();
            for (JsonNode one : request) {
                ObjectNode a = handle(one);
                if (a != null) {
                    answers.add(a);
                }
            }
            if (request.isEmpty()) {
                reply(ctx, error(NullNode.getInstance(), INVALID_REQUEST, "empty batch", null));
            } else if (answers.isEmpty()) {
                ctx.status(202);
            } else {
                reply(ctx, answers);
            }
            return;
        }
        ObjectNode answer = handle(request);
        if (answer == null) {
            ctx.status(202);
        } else {
            reply(ctx, answer);
        }
    }

    /** GET would open a server-sent event stream for messages the server starts; this server starts none. */
    public void get(Context ctx) {
        ctx.header("Allow", "POST");
        throw new ApiException(405, "method not allowed", "this MCP endpoint answers POSTed JSON-RPC requests only;"
                + " it sends no server-initiated messages, so there is no stream to GET");
    }

    /** The answer to one JSON-RPC message, or null for a notification or a client's response. */
    ObjectNode handle(JsonNode m) {
        if (!m.isObject() || !"2.0".equals(m.path("jsonrpc").asText(null))) {
            return error(m.path("id").isMissingNode() ? NullNode.getInstance() : m.get("id"), INVALID_REQUEST,
                    "not a JSON-RPC 2.0 request: it needs \"jsonrpc\": \"2.0\" and a method", null);
        }
        JsonNode id = m.get("id");
        JsonNode method = m.get("method");
        if (method == null) {
            // a response to something the server asked: it asks nothing, so there is nothing to match it to
            return id == null ? error(NullNode.getInstance(), INVALID_REQUEST, "no method", null) : null;
        }
        if (!method.isTextual()) {
            return error(id == null ? NullNode.getInstance() : id, INVALID_REQUEST, "method must be a string", null);
        }
        if (id == null) {
            return null; // notifications/initialized, notifications/cancelled...: nothing to answer
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            return error(NullNode.getInstance(), INVALID_REQUEST, "id must be a string or an integer", null);
        }
        JsonNode params = m.path("params");
        return switch (method.asText()) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, Map.of());
            case "tools/list" -> result(id, Map.of("tools", tools.describe()));
            case "tools/call" -> call(id, params);
            default -> error(id, METHOD_NOT_FOUND, "method not found: " + method.asText()
                    + " (this server offers initialize, ping, tools/list and tools/call)", null);
        };
    }

    private Map<String, Object> initialize(JsonNode params) {
        String asked = params.path("protocolVersion").asText("");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("protocolVersion", VERSIONS.contains(asked) ? asked : VERSIONS.get(0));
        r.put("capabilities", Map.of("tools", Map.of("listChanged", false)));
        r.put("serverInfo", Map.of("name", "mpdiag", "title", "mpdiag collector", "version", version));
        r.put("instructions", "Live JFR profiles, time series and diagnosis checks of the JVM processes this"
                + " collector receives, per process and merged. Start with list_processes for the process ids, then"
                + " checks for what is wrong; top_frames, diff, series, locks and jmc_rules show why. Times are epoch"
                + " milliseconds, ISO-8601 or relative (-5m).");
        return r;
    }

    private ObjectNode call(JsonNode id, JsonNode params) {
        JsonNode name = params.get("name");
        if (name == null || !name.isTextual()) {
            return error(id, INVALID_PARAMS, "tools/call needs params.name, one of: " + String.join(", ", tools.names()),
                    null);
        }
        McpTool tool = tools.get(name.asText());
        if (tool == null) {
            return error(id, INVALID_PARAMS, "unknown tool: " + name.asText() + " (tools: "
                    + String.join(", ", tools.names()) + ")", null);
        }
        Object answer;
        try {
            answer = tool.call().answer(ToolArguments.of(tool.name(), params.get("arguments")));
        } catch (IllegalArgumentException e) {
            return error(id, INVALID_PARAMS, e.getMessage(), null);
        } catch (ApiException e) {
            // the endpoint's 400 (a bad value) or 404 (no such process or service): the arguments are wrong
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("tool", tool.name());
            data.put("status", e.status);
            data.put("error", e.error);
            return error(id, INVALID_PARAMS, e.error + ": " + e.getMessage(), data);
        } catch (Exception e) {
            log.accept("MCP tool " + tool.name() + " failed: " + e);
            return result(id, Map.of("content", List.of(text(tool.name() + " failed: " + e)), "isError", true));
        }
        JsonNode structured = JSON.valueToTree(answer);
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            r.put("content", List.of(text(JSON.writeValueAsString(structured))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree jackson built itself always writes
        }
        r.put("structuredContent", structured);
        r.put("isError", false);
        return result(id, r);
    }

    private static Map<String, Object> text(String s) {
        return Map.of("type", "text", "text", s);
    }

    private static ObjectNode result(JsonNode id, Object result) {
        ObjectNode o = JSON.createObjectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", JSON.valueToTree(result));
        return o;
    }

    private static ObjectNode error(JsonNode id, int code, String message, Map<String, Object> data) {
        ObjectNode o = JSON.createObjectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        if (data != null) {
            e.set("data", JSON.valueToTree(data));
        }
        return o;
    }

    private static void reply(Context ctx, JsonNode body) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A web page on another site must not reach a collector on the user's loopback through their browser (DNS
     * rebinding): a request carrying an Origin is taken only from loopback or from the host it was sent to.
     */
    static void refuseForeignOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host = null;
        try {
            host = URI.create(origin).getHost();
        } catch (IllegalArgumentException e) {
            // not a URI: refused below
        }
        String sentTo = ctx.header("Host");
        String sentToHost = sentTo == null ? null : sentTo.replaceFirst(":\\d+$", "");
        if (host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || host.equals(sentToHost))) {
            return;
        }
        throw new ApiException(403, "forbidden origin", "MCP requests from a web page at " + origin
                + " are refused; an MCP client sends none, and a page must be served by this collector");
    }
}
