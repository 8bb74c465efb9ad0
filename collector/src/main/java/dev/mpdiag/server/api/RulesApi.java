package dev.mpdiag.server.api;

import dev.mpdiag.engine.jmc.JmcFinding;
import dev.mpdiag.engine.jmc.JmcRuleRunner;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/v1/rules?process=ID: JMC's automated-analysis rules on one process's stored chunks, on demand.
 * JMC's loader keeps every event in memory, so the input is bounded: the newest chunks of the range up to
 * a byte budget (64 MB, about 6x that in heap).
 */
public final class RulesApi {
    static final long MAX_BYTES = 64L << 20;

    private final Store store;

    public RulesApi(Store store) {
        this.store = store;
    }

    public void rules(Context ctx) throws IOException {
        Replies.json(ctx, rules(Params.of(ctx)));
    }

    /** The answer as a JSON-ready map, for the HTTP endpoint and the MCP tool alike. */
    public Map<String, Object> rules(Params q) throws IOException {
        q.only(Params.SELECTION);
        Selection sel = q.selection(store, "");
        if (q.all("process").isEmpty() || sel.processes().size() != 1) {
            throw ApiException.badRequest("one process", "rules run on exactly one process=ID");
        }
        ProcessStore p = sel.processes().get(0);
        List<StoredEntry> entries = p.entries(sel.fromMillis(), sel.toMillis());
        if (entries.isEmpty()) {
            throw ApiException.notFound("no data", "process " + p.id() + " has no chunks in that time range");
        }
        List<byte[]> chunks = new ArrayList<>();
        long bytes = 0;
        for (int i = entries.size() - 1; i >= 0 && bytes + entries.get(i).bytes() <= MAX_BYTES; i--) {
            chunks.add(Files.readAllBytes(p.chunkFile(entries.get(i).seq())));
            bytes += entries.get(i).bytes();
        }
        if (chunks.isEmpty()) {
            throw ApiException.badRequest("too much data", "the newest upload alone is over " + MAX_BYTES
                    + " bytes; choose a shorter range");
        }
        Collections.reverse(chunks);
        long t0 = System.nanoTime();
        List<JmcFinding> findings = new JmcRuleRunner().run(chunks);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("process", p.id());
        body.put("uploads", chunks.size());
        body.put("bytes", bytes);
        body.put("partial", chunks.size() < entries.size());
        body.put("millis", (System.nanoTime() - t0) / 1_000_000);
        body.put("findings", findings);
        return body;
    }
}
