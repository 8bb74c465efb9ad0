package dev.mpdiag.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.export.CollapsedWriter;
import dev.mpdiag.export.SpeedscopeWriter;
import dev.mpdiag.report.DiffTable;
import dev.mpdiag.report.FlameTree;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.query.Query;
import dev.mpdiag.server.query.Selection;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flame graphs, their diff, and exports (collapsed stacks, speedscope, the raw .jfr) of a selection. */
public final class ProfileApi {
    /** Frames narrower than this share of the total fold into "other", so a huge profile stays drawable. */
    static final double DEFAULT_MIN_SHARE = 0.0005;
    static final int DIFF_ROWS = 50;

    private final Store store;
    private final Query query;

    public ProfileApi(Store store, Query query) {
        this.store = store;
        this.query = query;
    }

    public void flamegraph(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only(Params.SELECTION, "type", "minShare", "split", "exact");
        ProfileType type = q.type("cpu");
        double minShare = q.share("minShare", DEFAULT_MIN_SHARE);
        boolean split = q.flag("split");
        // Without exact, a range selects whole chunks (seconds each); with it, the samples inside the range to
        // 20 ms, as the heatmap's selection needs.
        boolean exact = q.flag("exact");
        Selection sel = q.selection(store, query, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Replies.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type.id());
            g.writeStringField("unit", type.unit);
            writeRange(g, sel);
            g.writeNumberField("minShare", minShare);
            if (split) {
                g.writeArrayFieldStart("processes");
                boolean allExact = true;
                for (Map.Entry<String, Summary> e : query.perProcess(sel).entrySet()) {
                    allExact &= !exact || e.getValue().cutToWindow(type, sel.fromMillis(), sel.toMillis());
                    FlameTree tree = FlameTree.of(e.getValue(), type);
                    g.writeStartObject();
                    g.writeStringField("id", e.getKey());
                    g.writeNumberField("total", tree.total());
                    g.writeFieldName("tree");
                    tree.writeJson(g, minShare);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("exact", exact && allExact);
            } else {
                Summary merged = query.merged(sel);
                boolean cut = exact && merged.cutToWindow(type, sel.fromMillis(), sel.toMillis());
                g.writeBooleanField("exact", cut);
                FlameTree tree = FlameTree.of(merged, type);
                writeIds(g, "processes", sel);
                g.writeNumberField("total", tree.total());
                g.writeFieldName("tree");
                tree.writeJson(g, minShare);
            }
            g.writeEndObject();
        }
        ctx.contentType("application/json").result(out.toByteArray());
    }

    public void diff(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only("type", "minShare", "limit", "a.process", "a.service", "a.from", "a.to", "b.process",
                "b.service", "b.from", "b.to");
        ProfileType type = q.type("cpu");
        double minShare = q.share("minShare", DEFAULT_MIN_SHARE);
        int limit = q.integer("limit", DIFF_ROWS, 1, 1000);
        Selection a = q.selection(store, query, "a.");
        Selection b = q.selection(store, query, "b.");
        Summary before = query.merged(a);
        Summary after = query.merged(b);
        FlameTree tree = FlameTree.diff(before, after, type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Replies.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type.id());
            g.writeStringField("unit", type.unit);
            side(g, "a", a, before, type);
            side(g, "b", b, after, type);
            g.writeFieldName("rows");
            Replies.JSON.writeValue(g, DiffTable.of(before, after, type, limit));
            g.writeFieldName("tree");
            tree.writeJson(g, minShare);
            g.writeEndObject();
        }
        ctx.contentType("application/json").result(out.toByteArray());
    }

    /**
     * The hottest methods of a selection by self weight, with their total (anywhere on the stack) beside: the
     * flame graph read as a table, for an assistant that cannot look at one (the MCP tool top_frames).
     */
    public Map<String, Object> top(Params q) {
        q.only(Params.SELECTION, "type", "limit", "exact");
        ProfileType type = q.type("cpu");
        int limit = q.integer("limit", 20, 1, 500);
        Selection sel = q.selection(store, query, "");
        Summary s = mergedExact(q, sel, type);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.id());
        body.put("unit", type.unit);
        body.put("processes", sel.ids());
        body.put("from", sel.fromMillis());
        body.put("to", sel.toMillis() < Long.MAX_VALUE / 2 ? sel.toMillis() : null);
        body.put("total", s.profileOrNull(type) == null ? 0 : s.profileOrNull(type).totalWeight());
        body.put("frames", TopFrames.methods(s, type, limit));
        if (type == ProfileType.ALLOC) {
            body.put("allocatedClasses", TopFrames.allocatedClasses(s, limit));
        } else if (type == ProfileType.LOCK || type == ProfileType.WAIT) {
            body.put("contendedClasses", TopFrames.lockClasses(s, type, limit));
        }
        return body;
    }

    /** The diff's table without its tree: what changed between selections a and b, largest change first. */
    public Map<String, Object> changes(Params q) {
        q.only("type", "limit", "a.process", "a.service", "a.from", "a.to", "b.process", "b.service", "b.from", "b.to");
        ProfileType type = q.type("cpu");
        int limit = q.integer("limit", 20, 1, 1000);
        Selection a = q.selection(store, query, "a.");
        Selection b = q.selection(store, query, "b.");
        Summary before = query.merged(a);
        Summary after = query.merged(b);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.id());
        body.put("unit", type.unit);
        body.put("a", side(a, before, type));
        body.put("b", side(b, after, type));
        body.put("rows", DiffTable.of(before, after, type, limit));
        return body;
    }

    private static Map<String, Object> side(Selection sel, Summary s, ProfileType type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processes", sel.ids());
        m.put("from", sel.fromMillis());
        m.put("to", sel.toMillis() < Long.MAX_VALUE / 2 ? sel.toMillis() : null);
        m.put("total", s.profileOrNull(type) == null ? 0 : s.profileOrNull(type).totalWeight());
        return m;
    }

    private static void side(JsonGenerator g, String name, Selection sel, Summary s, ProfileType type)
            throws IOException {
        g.writeObjectFieldStart(name);
        writeIds(g, "processes", sel);
        writeRange(g, sel);
        g.writeNumberField("total", s.profileOrNull(type) == null ? 0 : s.profileOrNull(type).totalWeight());
        g.writeEndObject();
    }

    private static void writeIds(JsonGenerator g, String field, Selection sel) throws IOException {
        g.writeArrayFieldStart(field);
        for (String id : sel.ids()) {
            g.writeString(id);
        }
        g.writeEndArray();
    }

    private static void writeRange(JsonGenerator g, Selection sel) throws IOException {
        g.writeNumberField("from", sel.fromMillis());
        if (sel.toMillis() < Long.MAX_VALUE / 2) {
            g.writeNumberField("to", sel.toMillis());
        } else {
            g.writeNullField("to");
        }
    }

    /** The merged selection, cut to its range to 20 ms when exact=true asks (as the heatmap's spans do). */
    private Summary mergedExact(Params q, Selection sel, ProfileType type) {
        Summary s = query.merged(sel);
        if (q.flag("exact")) {
            s.cutToWindow(type, sel.fromMillis(), sel.toMillis());
        }
        return s;
    }

    public void collapsed(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only(Params.SELECTION, "type", "exact");
        ProfileType type = q.type("cpu");
        Summary s = mergedExact(q, q.selection(store, query, ""), type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CollapsedWriter.write(s, type, out);
        ctx.contentType("text/plain; charset=utf-8").result(out.toByteArray());
    }

    public void speedscope(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only(Params.SELECTION, "type", "exact");
        ProfileType type = q.type("cpu");
        Selection sel = q.selection(store, query, "");
        Summary s = mergedExact(q, sel, type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = type.id() + " of " + (sel.size() == 1 ? sel.ids().get(0)
                : sel.size() + " processes");
        SpeedscopeWriter.write(s, type, name, out);
        ctx.contentType("application/json").header("Content-Disposition",
                "attachment; filename=\"mpdiag-" + type.id() + ".speedscope.json\"").result(out.toByteArray());
    }

    /**
     * The stored chunks of one process in the range, concatenated: a JFR file is a sequence of chunks, so
     * this is a recording that {@code jfr summary} and JMC open.
     */
    public void jfr(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only(Params.SELECTION);
        Selection sel = q.selection(store, "");
        if (q.all("process").isEmpty() || sel.processes().size() != 1) {
            throw ApiException.badRequest("one process", "export/jfr needs exactly one process=ID");
        }
        ProcessStore p = sel.processes().get(0);
        List<StoredEntry> entries = p.entries(sel.fromMillis(), sel.toMillis());
        if (entries.isEmpty()) {
            throw ApiException.notFound("no data", "process " + p.id() + " has no chunks in that time range");
        }
        List<InputStream> parts = new ArrayList<>();
        long length = 0;
        for (StoredEntry e : entries) {
            parts.add(Files.newInputStream(p.chunkFile(e.seq())));
            length += e.bytes();
        }
        String file = "mpdiag-" + p.meta().service.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + p.meta().pid + ".jfr";
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("Content-Length", Long.toString(length))
                .result(new SequenceInputStream(Collections.enumeration(parts)));
    }
}
