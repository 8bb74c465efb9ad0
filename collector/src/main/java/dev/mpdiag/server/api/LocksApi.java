package dev.mpdiag.server.api;

import dev.mpdiag.engine.LockStats;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/locks: contended monitors and parked-on classes of a selection, ranked by blocked time, each
 * with its share per process and the stacks that blocked on it.
 */
public final class LocksApi {
    private final Store store;
    private final Query query;

    public LocksApi(Store store, Query query) {
        this.store = store;
        this.query = query;
    }

    public void locks(Context ctx) {
        Replies.json(ctx, locks(Params.of(ctx)));
    }

    /** The answer as a JSON-ready map, for the HTTP endpoint and the MCP tool alike. */
    public Map<String, Object> locks(Params q) {
        q.only(Params.SELECTION, "limit", "stacks", "wait");
        Selection sel = q.selection(store, query, "");
        int limit = q.integer("limit", 20, 1, 500);
        int stackLimit = q.integer("stacks", 5, 0, 100);
        boolean includeWait = q.flag("wait");
        Map<String, Summary> per = query.perProcess(sel);
        Summary merged = new Summary();
        for (Summary s : per.values()) {
            merged.merge(s);
        }
        List<LockStats> ranked = new ArrayList<>();
        for (LockStats l : merged.locks()) {
            if (includeWait || l.kind != LockStats.Kind.WAIT) {
                ranked.add(l);
            }
        }
        ranked.sort((a, b) -> Long.compare(b.blockedNanos(), a.blockedNanos()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LockStats l : ranked.subList(0, Math.min(limit, ranked.size()))) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", l.kind.name().toLowerCase());
            r.put("monitorClass", l.className);
            r.put("blockedNanos", l.blockedNanos());
            r.put("count", l.count());
            r.put("maxNanos", l.maxNanos());
            r.put("perProcess", perProcess(per, l));
            r.put("stacks", stacks(merged, l, stackLimit));
            rows.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("processes", sel.ids());
        body.put("locks", rows);
        return body;
    }

    private static List<Map<String, Object>> perProcess(Map<String, Summary> per, LockStats merged) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Summary> e : per.entrySet()) {
            for (LockStats l : e.getValue().locks()) {
                if (l.kind == merged.kind && l.className.equals(merged.className)) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("process", e.getKey());
                    r.put("blockedNanos", l.blockedNanos());
                    r.put("count", l.count());
                    r.put("share", merged.blockedNanos() == 0 ? 0.0 : (double) l.blockedNanos() / merged.blockedNanos());
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The stacks that blocked longest on this lock, frames leaf first as "class.method:line". */
    private static List<Map<String, Object>> stacks(Summary s, LockStats l, int limit) {
        List<Map.Entry<Integer, long[]>> byStack = new ArrayList<>(l.byStack().entrySet());
        byStack.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : byStack.subList(0, Math.min(limit, byStack.size()))) {
            List<String> frames = new ArrayList<>();
            for (int f : s.stacks.frames(e.getKey())) {
                frames.add(s.frames.site(f));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("blockedNanos", e.getValue()[0]);
            r.put("count", e.getValue()[1]);
            r.put("frames", frames);
            out.add(r);
        }
        return out;
    }
}
