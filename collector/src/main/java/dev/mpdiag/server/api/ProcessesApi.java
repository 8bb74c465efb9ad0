package dev.mpdiag.server.api;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.ClusterView;
import dev.mpdiag.server.store.ProcessMeta;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/v1/processes: the registry, with each process's status, labels, JVM and agent health. */
public final class ProcessesApi {
    /** A process is stale after this many of its intervals without an upload. */
    static final int STALE_INTERVALS = 3;
    static final long DEFAULT_INTERVAL_MILLIS = 5000;

    private final Store store;
    private final ClusterView cluster;
    private final PeerQueries peers;

    public ProcessesApi(Store store) {
        this(store, null, null);
    }

    /** In a cluster, the list holds the processes this member answers for and, fanned out, every other member's. */
    public ProcessesApi(Store store, ClusterView cluster, PeerQueries peers) {
        this.store = store;
        this.cluster = cluster;
        this.peers = peers;
    }

    public void list(Context ctx) {
        Params q = Params.of(ctx);
        Replies.json(ctx, "local".equals(ctx.header(ClusterView.SCOPE_HEADER)) ? answer(q, true) : list(q));
    }

    /**
     * The answer as a JSON-ready map, for the HTTP endpoint and the MCP tool alike: in a cluster, this member's
     * processes and, fanned out, every other member's.
     */
    public Map<String, Object> list(Params q) {
        if (peers == null) {
            return answer(q, true);
        }
        Map<String, Object> body = answer(q, false);
        @SuppressWarnings("unchecked")
        List<Object> rows = (List<Object>) body.get("processes");
        List<String> missing = new ArrayList<>();
        int members = 1;
        String service = q.service("service");
        String query = service == null ? null : "service=" + java.net.URLEncoder.encode(service,
                java.nio.charset.StandardCharsets.UTF_8);
        for (PeerQueries.Answer a : peers.get("/api/v1/processes", query, null)) {
            members += a.peer().startsWith("http") ? 1 : 0;
            if (a.body() == null) {
                missing.add(a.peer() + " (" + a.problem() + ")");
            } else {
                a.body().path("processes").forEach(rows::add);
            }
        }
        body.put("members", members);
        if (!missing.isEmpty()) {
            // The list is then partial: said so, rather than showing those processes as gone.
            body.put("unreachable", missing);
        }
        if (service != null && rows.isEmpty()) {
            throw ApiException.notFound("unknown service", "no process of service '" + service + "'");
        }
        return body;
    }

    private Map<String, Object> answer(Params q, boolean refuseEmpty) {
        q.only("service");
        String service = q.service("service");
        long now = System.currentTimeMillis();
        List<Object> rows = new ArrayList<>();
        for (ProcessStore p : store.all()) {
            if ((service == null || service.equals(p.meta().service)) && (cluster == null || cluster.serves(p.id()))) {
                rows.add(row(p, now));
            }
        }
        if (refuseEmpty && service != null && rows.isEmpty()) {
            // as every other endpoint answers a service it has never seen: an empty list reads as "all gone"
            throw ApiException.notFound("unknown service", "no process of service '" + service + "'");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", now);
        body.put("processes", rows);
        return body;
    }

    /** live, stale, exited (the agent sent its final cut) or uploaded (post-run .jfr files). */
    public static String status(ProcessMeta m, long now) {
        if (ProcessMeta.UPLOAD.equals(m.kind)) {
            return "uploaded";
        }
        if (m.exited) {
            return "exited";
        }
        long interval = m.intervalMillis > 0 ? m.intervalMillis : DEFAULT_INTERVAL_MILLIS;
        return now - m.lastSeenMillis <= STALE_INTERVALS * interval ? "live" : "stale";
    }

    static Map<String, Object> row(ProcessStore p, long now) {
        ProcessMeta m = p.meta();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", m.id);
        r.put("service", m.service);
        r.put("host", m.host);
        r.put("pid", m.pid);
        r.put("startMillis", m.startMillis);
        r.put("status", status(m, now));
        r.put("kind", m.kind);
        r.put("labels", m.labels);
        r.put("firstSeenMillis", m.firstSeenMillis);
        r.put("lastSeenMillis", m.lastSeenMillis);
        r.put("intervalMillis", m.intervalMillis);
        r.put("profile", m.profile);
        r.put("agentVersion", m.agentVersion);
        r.put("health", m.health);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("name", m.jvmName);
        jvm.put("version", m.jvmVersion);
        jvm.put("jvmArguments", m.jvmArguments);
        jvm.put("javaArguments", m.javaArguments);
        r.put("jvm", jvm);
        StoredEntry first = p.entries().stream().findFirst().orElse(null);
        StoredEntry last = p.latest();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uploads", p.size());
        data.put("bytes", p.bytes());
        data.put("fromMillis", first == null ? null : first.startNanos() / 1_000_000L);
        data.put("toMillis", last == null ? null : last.endNanos() / 1_000_000L);
        data.put("lastSeq", last == null ? null : last.seq());
        r.put("data", data);
        return r;
    }
}
