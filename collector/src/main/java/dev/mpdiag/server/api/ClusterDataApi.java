package dev.mpdiag.server.api;

import dev.mpdiag.checks.ProcessData;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.ClusterView;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one cluster member sends another that answers a query spanning them: the summaries of the processes it
 * answers for (POST /api/v1/cluster/summaries), the checks' input of them (POST /api/v1/cluster/checks) and
 * their series rows (POST /api/v1/cluster/series). The
 * process ids come in the body, one per line (a service of a thousand workers does not fit in a URL); the range
 * and flags in the query string. Only processes this member answers for now are sent; any other is a 404, so
 * the asker says the cluster is moving rather than answering without them.
 */
public final class ClusterDataApi {
    private final Store store;
    private final Query query;
    private final ChecksApi checks;
    private final SeriesApi series;
    private final ClusterView cluster;

    public ClusterDataApi(Store store, Query query, ChecksApi checks, SeriesApi series, ClusterView cluster) {
        this.store = store;
        this.query = query;
        this.checks = checks;
        this.series = series;
        this.cluster = cluster;
    }

    /** The series rows of the body's processes, as GET /api/v1/series gives them ({"series": [...]}). */
    public void series(Context ctx) {
        Params q = Params.of(ctx);
        q.only("from", "to", "metric");
        Selection sel = served(ctx, q);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String metric : SeriesApi.metrics(q)) {
            rows.addAll(series.localRows(sel, metric));
        }
        Replies.json(ctx, Map.of("series", rows));
    }

    public void summaries(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only("from", "to", "split");
        Selection sel = served(ctx, q);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        if (q.flag("split")) {
            Map<String, Summary> each = query.perProcess(sel);
            SummaryFrames.header(out, each.size());
            for (Map.Entry<String, Summary> e : each.entrySet()) {
                out.writeUTF(e.getKey());
                SummaryFrames.summary(out, e.getValue());
            }
        } else {
            // merged here: one summary crosses the network for all of this member's processes
            SummaryFrames.header(out, 1);
            out.writeUTF("");
            SummaryFrames.summary(out, query.merged(sel));
        }
        out.flush();
        ctx.contentType(SummaryFrames.TYPE).result(bytes.toByteArray());
    }

    public void checks(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only("from", "to", "rolling");
        Selection sel = served(ctx, q);
        List<ProcessData> data = new ArrayList<>();
        List<String> services = new ArrayList<>();
        for (ProcessStore p : sel.processes()) {
            ProcessData d = checks.data(p, sel, q.flag("rolling"));
            if (d != null) {
                data.add(d);
                services.add(p.meta().service);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        SummaryFrames.header(out, data.size());
        for (int i = 0; i < data.size(); i++) {
            ProcessData d = data.get(i);
            out.writeUTF(d.id());
            out.writeUTF(services.get(i));
            SummaryFrames.labels(out, d.labels());
            SummaryFrames.summary(out, d.summary());
            SummaryFrames.summary(out, d.early());
        }
        out.flush();
        ctx.contentType(SummaryFrames.TYPE).result(bytes.toByteArray());
    }

    /** The body's processes, each one this member answers for now, over the query string's range. */
    private Selection served(Context ctx, Params q) {
        long now = System.currentTimeMillis();
        long from = TimeParam.parse("from", q.one("from"), 0, now);
        long to = TimeParam.parse("to", q.one("to"), Long.MAX_VALUE / 2, now);
        List<ProcessStore> chosen = new ArrayList<>();
        for (String line : new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8).split("\n")) {
            String id = line.trim();
            if (id.isEmpty()) {
                continue;
            }
            ProcessStore p = store.get(id);
            if (p == null || !cluster.serves(id)) {
                throw ApiException.notFound("not served here", "this member does not answer for '"
                        + TimeParam.abbreviate(id) + "' now");
            }
            chosen.add(p);
        }
        return new Selection(chosen, from, to);
    }
}
