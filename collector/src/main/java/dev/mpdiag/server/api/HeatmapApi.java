package dev.mpdiag.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mpdiag.engine.HeatMatrix;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.report.HeatmapJson;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GET /api/v1/heatmap: samples (or bytes, or blocked ns) per second and sub-second row, merged or per process. */
public final class HeatmapApi {
    static final int DEFAULT_ROW_MILLIS = 20;

    private final Store store;
    private final Query query;

    public HeatmapApi(Store store, Query query) {
        this.store = store;
        this.query = query;
    }

    public void heatmap(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only(Params.SELECTION, "type", "rowMillis", "split");
        ProfileType type = q.type("cpu");
        int rowMillis = q.integer("rowMillis", DEFAULT_ROW_MILLIS, 20, 1000);
        if (!HeatMatrix.validRowMillis(rowMillis)) {
            throw ApiException.badRequest("bad parameter rowMillis", "rowMillis must divide a second into whole"
                    + " 20 ms cells (20, 40, 100, 200, 500, 1000...), got " + rowMillis);
        }
        boolean split = q.flag("split");
        Selection sel = q.selection(store, query, "");
        List<HeatmapJson.Source> sources = new ArrayList<>();
        for (ProcessStore p : sel.processes()) {
            sources.add(new HeatmapJson.Source(p.id(), label(p.meta().labels, p.meta().pid), query.stored(p, sel)));
        }
        // Another member's process comes as one summary of its range: its chunks' heat and pauses merged there,
        // which give the same cells as the chunks one by one.
        Map<String, Summary> remote = query.remotePerProcess(sel);
        for (Selection.Remote r : sel.remote()) {
            sources.add(new HeatmapJson.Source(r.id(), r.label() != null ? r.label() : r.id(),
                    List.of(remote.get(r.id()))));
        }
        HeatmapJson heatmap = new HeatmapJson(type, sources, sel.fromMillis(), sel.toMillis(), rowMillis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Replies.JSON.getFactory().createGenerator(out)) {
            heatmap.write(g, split);
        }
        ctx.contentType("application/json").result(out.toByteArray());
    }

    /** "worker-1 pid 17007", as the dashboard's procName names a process. */
    static String label(Map<String, String> labels, long pid) {
        String role = labels.get("role");
        String index = labels.get("index");
        String name = role != null ? role + (index != null ? "-" + index : "") : labels.getOrDefault("file", "");
        return (name.isEmpty() ? "" : name + " ") + "pid " + pid;
    }
}
