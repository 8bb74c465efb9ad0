package dev.mpdiag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.RunStore;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET/POST /api/v1/runs: named load-test time windows with their figures (mode, processes, QPS, latency),
 * recorded by the sample service's bench or by hand, so runs can be compared and diffed later.
 */
public final class RunsApi {
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_FIELDS = 100;

    private final RunStore runs;
    private final Store store;

    public RunsApi(RunStore runs, Store store) {
        this.runs = runs;
        this.store = store;
    }

    public void list(Context ctx) {
        Params q = Params.of(ctx);
        q.only();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", runs.all());
        Replies.json(ctx, body);
    }

    public void add(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only();
        JsonNode n;
        try {
            n = Replies.JSON.readTree(IngestApi.readBody(ctx, MAX_BODY));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("bad JSON", e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("bad run", "the body must be a JSON object with name, from and to");
        }
        String name = text(n, "name", true);
        long now = System.currentTimeMillis();
        long from = TimeParam.parse("from", required(n, "from"), 0, now);
        long to = TimeParam.parse("to", required(n, "to"), 0, now);
        if (from > to) {
            throw ApiException.badRequest("bad time range", "from is after to");
        }
        List<String> processes = new ArrayList<>();
        JsonNode ps = n.get("processes");
        if (ps != null && !ps.isNull()) {
            if (!ps.isArray() || ps.size() > MAX_FIELDS) {
                throw ApiException.badRequest("bad run", "processes must be an array of at most " + MAX_FIELDS + " ids");
            }
            for (JsonNode p : ps) {
                if (store.get(p.asText()) == null) {
                    throw ApiException.notFound("unknown process", "no process '" + TimeParam.abbreviate(p.asText()) + "'");
                }
                processes.add(p.asText());
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(n, "labels")) {
            labels.put(TimeParam.abbreviate(e.getKey()), TimeParam.abbreviate(e.getValue().asText()));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(n, "figures")) {
            JsonNode v = e.getValue();
            figures.put(TimeParam.abbreviate(e.getKey()), v.isNumber() ? v.numberValue()
                    : v.isNull() ? null : TimeParam.abbreviate(v.asText()));
        }
        RunStore.Run r = runs.add(name, text(n, "service", false), processes, from, to, labels, figures, now);
        ctx.status(201);
        Replies.json(ctx, r);
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw ApiException.badRequest("bad run", field + " is required");
        }
        return v.asText();
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest("bad run", field + " is required");
            }
            return null;
        }
        String s = v.asText().trim();
        if (s.length() > 200 || required && s.isEmpty()) {
            throw ApiException.badRequest("bad run", field + " must be 1 to 200 characters");
        }
        return s;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode n, String field) {
        JsonNode o = n.get(field);
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (o == null || o.isNull()) {
            return out;
        }
        if (!o.isObject() || o.size() > MAX_FIELDS) {
            throw ApiException.badRequest("bad run", field + " must be an object of at most " + MAX_FIELDS + " entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
