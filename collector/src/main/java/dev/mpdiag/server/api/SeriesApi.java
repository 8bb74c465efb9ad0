package dev.mpdiag.server.api;

import dev.mpdiag.engine.Series;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
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
        Selection sel = q.selection(store, "");
        List<String> metrics = new ArrayList<>();
        for (String m : q.all("metric")) {
            for (String one : m.split(",")) {
                if (!one.isBlank()) {
                    metrics.add(one.trim());
                }
            }
        }
        if (metrics.isEmpty()) {
            throw ApiException.badRequest("missing parameter metric", "name one or more series, e.g. metric=cpu.jvm; "
                    + "this selection has: " + String.join(", ", available(sel)));
        }
        if (metrics.size() > MAX_METRICS) {
            throw ApiException.badRequest("too many metrics", "at most " + MAX_METRICS + " per request");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String metric : metrics) {
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

    private TreeSet<String> available(Selection sel) {
        TreeSet<String> names = new TreeSet<>();
        for (ProcessStore p : sel.processes()) {
            names.addAll(query.seriesNames(p).keySet());
        }
        return names;
    }
}
