package dev.mpdiag.server.api;

import dev.mpdiag.checks.CheckResult;
import dev.mpdiag.checks.Checks;
import dev.mpdiag.checks.Limits;
import dev.mpdiag.checks.ProcessData;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Members;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/checks: every diagnosis check on the selected processes (per process) and their services
 * (across processes), over a rolling window: the last 5 minutes of each process's data unless from/to say
 * otherwise; the leak checks also see the process's first minute, the baseline of what it holds. Thresholds can be
 * overridden per request with threshold.CHECK.KEY=VALUE.
 */
public final class ChecksApi {
    static final long DEFAULT_WINDOW_MILLIS = 5 * 60_000L;
    static final String THRESHOLD = "threshold.";

    private final Store store;
    private final Query query;
    private final Limits configured;

    public ChecksApi(Store store, Query query, Limits configured) {
        this.store = store;
        this.query = query;
        this.configured = configured;
    }

    public void checks(Context ctx) {
        Replies.json(ctx, checks(Params.of(ctx)));
    }

    /** The answer as a JSON-ready map, for the HTTP endpoint and the MCP tool alike. */
    public Map<String, Object> checks(Params q) {
        q.only(Params.SELECTION, THRESHOLD);
        Selection sel = q.selection(store, query, "");
        boolean rolling = q.one("from") == null && q.one("to") == null;
        Limits limits = limits(q);
        Map<String, List<ProcessData>> byService = new LinkedHashMap<>();
        for (ProcessStore p : sel.processes()) {
            ProcessData d = data(p, sel, rolling);
            if (d != null) {
                byService.computeIfAbsent(p.meta().service, k -> new ArrayList<>()).add(d);
            }
        }
        if (!sel.remote().isEmpty()) {
            // Each member cuts its own processes' windows and first minutes, as it would answer alone; the checks
            // that compare a service's processes then see all of them here.
            for (List<Members.RemoteCheckData> member : query.members().checkData(sel.remoteByMember(),
                    rolling, sel.fromMillis(), sel.toMillis()).values()) {
                for (Members.RemoteCheckData r : member) {
                    ProcessData d = new ProcessData(r.id(), r.labels(), r.window(), r.window().startNanos() / 1_000_000L,
                            r.window().endNanos() / 1_000_000L, r.early());
                    byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(d);
                }
            }
        }
        List<CheckResult> results = Checks.run(byService, limits);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", rolling ? "last 5 minutes of each process's data" : "from/to");
        body.put("processes", sel.ids());
        body.put("results", results);
        return body;
    }

    /**
     * What the checks read of one process: its last five minutes of data (rolling) or the selection's range, and
     * its first minute; null when it has no data there.
     */
    ProcessData data(ProcessStore p, Selection sel, boolean rolling) {
        StoredEntry last = p.latest();
        if (last == null) {
            return null;
        }
        Selection one = sel;
        if (rolling) {
            long end = last.endNanos() / 1_000_000L;
            one = new Selection(List.of(p), end - DEFAULT_WINDOW_MILLIS, end);
        }
        Summary s = query.merged(new Selection(List.of(p), one.fromMillis(), one.toMillis()));
        if (s.startNanos() > s.endNanos()) {
            return null;
        }
        long from = s.startNanos() / 1_000_000L;
        return new ProcessData(p.id(), p.meta().labels, s, from, s.endNanos() / 1_000_000L, early(p, from));
    }

    /**
     * The process's first minute of data when the window starts after it, else null: the leak checks count what
     * is held from there, so a leak that filled before the window began is not read as flat.
     */
    private Summary early(ProcessStore p, long windowFromMillis) {
        List<StoredEntry> all = p.entries();
        if (all.isEmpty()) {
            return null;
        }
        long first = all.get(0).startNanos() / 1_000_000L;
        if (first >= windowFromMillis - EARLY_MILLIS / 10) {
            return null;
        }
        Summary early = query.merged(new Selection(List.of(p), first, Math.min(first + EARLY_MILLIS, windowFromMillis)));
        return early.startNanos() > early.endNanos() ? null : early;
    }

    static final long EARLY_MILLIS = 60_000L;

    private Limits limits(Params q) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : q.map().entrySet()) {
            if (e.getKey().startsWith(THRESHOLD) && !e.getValue().isEmpty()) {
                overrides.put(e.getKey().substring(THRESHOLD.length()), e.getValue().get(0));
            }
        }
        if (overrides.isEmpty()) {
            return configured;
        }
        try {
            return configured.with(overrides);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad threshold", e.getMessage());
        }
    }
}
