package dev.mpdiag.server.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpdiag.server.api.ChecksApi;
import dev.mpdiag.server.api.LocksApi;
import dev.mpdiag.server.api.ProcessesApi;
import dev.mpdiag.server.api.ProfileApi;
import dev.mpdiag.server.api.RulesApi;
import dev.mpdiag.server.api.SeriesApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's read-only tools for AI assistants, each answering from the same code as its /api/v1 endpoint,
 * so an assistant and the dashboard never disagree about the same selection.
 */
final class McpTools {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "epoch milliseconds, ISO-8601 (2026-11-27T14:05:00Z; without an offset: UTC),"
            + " now, or relative to now (-5m, -30s, -2h)";

    private final Map<String, McpTool> byName = new LinkedHashMap<>();

    McpTools(ProcessesApi processes, ChecksApi checks, ProfileApi profiles, SeriesApi series, LocksApi locks,
            RulesApi rules) {
        add(new McpTool("list_processes", "Services and processes",
                "Every service and its processes (JVM worker processes), each with its status (live, stale, exited,"
                        + " uploaded), labels such as role and index, JVM, time range of its data and the agent's"
                        + " health (upload failures, dropped chunks, its own CPU share). Process ids from here name"
                        + " processes in the other tools.",
                object(Map.of("service", string("only the processes of this service")), List.of()),
                args -> servicesAndProcesses(processes.list(args))));
        add(new McpTool("checks", "Diagnosis checks",
                "Runs every diagnosis check (CPU imbalance between processes, lock hot spots, GC pressure, heap,"
                        + " thread, class and file-descriptor leaks, context-switch storms...) on the selected processes"
                        + " and across each service. Each result has a verdict (ok, warn, fail, n/a), a summary and its"
                        + " evidence: the figures and frames it rests on. Without from/to: the last 5 minutes of each"
                        + " process's data.",
                object(with(selection(), "threshold", new LinkedHashMap<>(Map.of("type", "object",
                        "description", "overrides of check thresholds, as {\"CHECK.KEY\": value}",
                        "additionalProperties", Map.of("type", List.of("number", "string"))))), List.of()),
                checks::checks));
        add(new McpTool("top_frames", "Hottest frames of a profile",
                "The methods that take most of a profile (cpu, wall, alloc, lock, wait or native) over the selected"
                        + " processes and time range, merged: self weight (as the leaf), total weight (anywhere on the"
                        + " stack) and their shares of the total. For alloc also the allocated classes, for lock and"
                        + " wait the contended classes.",
                object(with(with(with(selection(), "type", profileType()), "limit", integer("rows (default 20)", 1, 500)),
                        "exact", bool("cut to the range to 20 ms instead of whole uploads (seconds each)")), List.of()),
                profiles::top));
        add(new McpTool("diff", "Compare two selections",
                "What changed between selection a (before, or the faster process) and selection b (after, or the"
                        + " slower one): methods whose share of the profile grew or shrank, largest change first, each"
                        + " side normalized by its own total. Answers \"why is worker-1 slower than worker-0 since"
                        + " 14:05?\" with a = worker-0 and b = worker-1 from 14:05.",
                object(with(with(with(with(new LinkedHashMap<>(), "type", profileType()), "limit",
                        integer("rows (default 20)", 1, 1000)), "a", object(selection(), List.of())),
                        "b", object(selection(), List.of())), List.of("a", "b")),
                profiles::changes));
        add(new McpTool("series", "Time series",
                "Time series per selected process as [epochMillis, value] points: for example cpu.jvm, cpu.machine,"
                        + " heap.used, gc.pause, alloc.rate, lock.blocked, threads.active, classes.loaded; a name ending"
                        + " in .rate is the per-second rate of a counter (proc.ctxInvoluntary.rate: involuntary context"
                        + " switches per second). A name that is not recorded is answered with the list of those that are.",
                object(with(selection(), "metric", Map.of("description", "one series name or a list of them",
                        "anyOf", List.of(Map.of("type", "string"), Map.of("type", "array", "items", Map.of("type", "string"))))),
                        List.of("metric")),
                series::series));
        add(new McpTool("locks", "Contended locks",
                "Monitors and locks by time threads spent blocked on them, across the selection, with each process's"
                        + " share and the stacks that blocked longest.",
                object(with(with(with(selection(), "limit", integer("locks (default 20)", 1, 500)), "stacks",
                        integer("stacks per lock (default 5)", 0, 100)), "wait", bool("include Object.wait() waits")),
                        List.of()),
                locks::locks));
        add(new McpTool("jmc_rules", "JDK Mission Control's rules",
                "JDK Mission Control's automated analysis rules on one process's recorded data (its newest 64 MB in"
                        + " the range): each rule's severity (OK, INFO, WARNING), score, summary, explanation and"
                        + " solution. Slower than the other tools: seconds.",
                object(with(selection(), "process", string("the one process id (from list_processes)")),
                        List.of("process")),
                rules::rules));
    }

    /** The processes endpoint's answer with a line per service in front: how many processes, how many live. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> servicesAndProcesses(Map<String, Object> list) {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) list.get("processes")) {
            Map<String, Object> s = services.computeIfAbsent((String) p.get("service"), k -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("service", k);
                row.put("processes", 0);
                row.put("live", 0);
                return row;
            });
            s.merge("processes", 1, (a, b) -> (Integer) a + (Integer) b);
            if ("live".equals(p.get("status"))) {
                s.merge("live", 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", list.get("now"));
        out.put("services", new ArrayList<>(services.values()));
        out.put("processes", list.get("processes"));
        return out;
    }

    private void add(McpTool t) {
        byName.put(t.name(), t);
    }

    McpTool get(String name) {
        return byName.get(name);
    }

    /** tools/list's answer. Every tool is read-only and idempotent, which the annotations tell the client. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (McpTool t : byName.values()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", t.name());
            d.put("title", t.title());
            d.put("description", t.description());
            d.put("inputSchema", t.inputSchema());
            d.put("annotations", Map.of("readOnlyHint", true, "idempotentHint", true, "openWorldHint", false));
            out.add(d);
        }
        return out;
    }

    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    private static Map<String, Object> selection() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("process", Map.of("description", "process ids (from list_processes); none: every process",
                "anyOf", List.of(Map.of("type", "string"), Map.of("type", "array", "items", Map.of("type", "string")))));
        p.put("service", string("only the processes of this service"));
        p.put("from", string("start of the time range: " + TIME));
        p.put("to", string("end of the time range: " + TIME));
        return p;
    }

    private static Map<String, Object> with(Map<String, Object> props, String name, Object schema) {
        props.put(name, schema);
        return props;
    }

    private static ObjectNode object(Map<String, Object> properties, List<String> required) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "object");
        o.set("properties", JSON.valueToTree(properties));
        if (!required.isEmpty()) {
            ArrayNode r = o.putArray("required");
            required.forEach(r::add);
        }
        o.put("additionalProperties", false);
        return o;
    }

    private static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static Map<String, Object> integer(String description, int min, int max) {
        return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
    }

    private static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    private static Map<String, Object> profileType() {
        return Map.of("type", "string", "enum", List.of("cpu", "wall", "alloc", "lock", "wait", "native"),
                "description", "the profile (default cpu)");
    }
}
