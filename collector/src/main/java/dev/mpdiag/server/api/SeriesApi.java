package dev.mpdiag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.engine.Series;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** GET /api/v1/series: time series (one or more metric=) per selected process, points as [epochMillis, value]. */
public final class SeriesApi {
    static final int MAX_METRICS = 32;

    private final Store store;
    private final Query query;

    public SeriesApi(Store store, Query query) {
        this.store = store;
        this.query = query;
    }

    public void series(Context ctx) {
        Replies.json(ctx, series(Params.of(ctx)));
    }

    /** The answer as a JSON-ready map, for the HTTP endpoint and the MCP tool alike. */
    public Map<String, Object> series(Params q) {
        q.only(Params.SELECTION, "metric");
        Selection sel = q.selection(store, query, "");
        List<String> metrics = metrics(q);
        if (metrics.isEmpty()) {
            throw ApiException.badRequest("missing parameter metric", "name one or more series, e.g. metric=cpu.jvm; "
                    + "this selection has: " + String.join(", ", available(sel)));
        }
        Map<String, JsonNode> remoteRows = remoteRows(sel, metrics);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String metric : metrics) {
            out.addAll(localRows(sel, metric));
            for (Selection.Remote r : sel.remote()) {
                JsonNode row = remoteRows.get(metric + "\n" + r.id());
                out.add(row != null ? Replies.JSON.convertValue(row, Map.class) : missing(metric, r.id()));
            }
        }
        if (out.stream().allMatch(r -> r.get("unit") == null) && !sel.processes().isEmpty()) {
            TreeSet<String> known = available(sel);
            for (String m : metrics) {
                String base = m.endsWith(".rate") ? m.substring(0, m.length() - 5) : m;
                if (!known.contains(m) && !known.contains(base)) {
                    throw ApiException.notFound("unknown metric", "'" + TimeParam.abbreviate(m)
                            + "' is not recorded; this selection has: " + String.join(", ", known));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", sel.fromMillis());
        body.put("to", sel.toMillis() < Long.MAX_VALUE / 2 ? sel.toMillis() : null);
        body.put("series", out);
        return body;
    }

    /** The metric= names, comma-separated or repeated; at most MAX_METRICS. */
    static List<String> metrics(Params q) {
        List<String> metrics = new ArrayList<>();
        for (String m : q.all("metric")) {
            for (String one : m.split(",")) {
                if (!one.isBlank()) {
                    metrics.add(one.trim());
                }
            }
        }
        if (metrics.size() > MAX_METRICS) {
            throw ApiException.badRequest("too many metrics", "at most " + MAX_METRICS + " per request");
        }
        return metrics;
    }

    /** One row per process of this member in the selection, for one metric (empty points when it lacks it). */
    List<Map<String, Object>> localRows(Selection sel, String metric) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProcessStore p : sel.processes()) {
            Series s = query.series(p, sel, metric);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", metric);
            row.put("process", p.id());
            row.put("unit", s == null ? null : s.unit);
            row.put("kind", s == null ? null : s.kind.name().toLowerCase());
            List<Object[]> points = new ArrayList<>();
            if (s != null) {
                s.points().forEach((t, v) -> points.add(new Object[] {t, v}));
            }
            row.put("points", points);
            out.add(row);
        }
        return out;
    }

    /**
     * The other members' rows for their processes, by metric and process ("metric\nid"). The ids go in a POST's
     * body (/api/v1/cluster/series): a service of a thousand workers does not fit in a URL.
     */
    private Map<String, JsonNode> remoteRows(Selection sel, List<String> metrics) {
        Map<String, JsonNode> rows = new HashMap<>();
        if (sel.remote().isEmpty()) {
            return rows;
        }
        for (JsonNode row : query.members().seriesRows(sel.remoteByMember(), metrics, sel.fromMillis(),
                sel.toMillis())) {
            rows.put(row.path("metric").asText() + "\n" + row.path("process").asText(), row);
        }
        return rows;
    }

    private static Map<String, Object> missing(String metric, String process) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("metric", metric);
        row.put("process", process);
        row.put("unit", null);
        row.put("kind", null);
        row.put("points", List.of());
        return row;
    }

    private TreeSet<String> available(Selection sel) {
        TreeSet<String> names = new TreeSet<>();
        for (ProcessStore p : sel.processes()) {
            names.addAll(query.seriesNames(p).keySet());
        }
        return names;
    }
}
