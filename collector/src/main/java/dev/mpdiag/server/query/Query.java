package dev.mpdiag.server.query;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.SummaryCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers a selection by merging the stored chunk summaries it covers; it never re-parses JFR. In a cluster the
 * processes other members answer for are merged there and only their merged summaries come here: summaries
 * merge in any order, so the answer is the one a single collector holding every process would give.
 */
public final class Query {
    private final SummaryCache cache;
    private final Members members;

    public Query(SummaryCache cache) {
        this(cache, null);
    }

    /** A query across the members of a cluster (members null: this collector alone). */
    public Query(SummaryCache cache, Members members) {
        this.cache = cache;
        this.members = members;
    }

    /** The cluster's other members, or null on a single collector: for resolving selections across them. */
    public Members members() {
        return members;
    }

    /** All selected processes merged into one summary. */
    public Summary merged(Selection sel) {
        Summary out = new Summary();
        for (ProcessStore p : sel.processes()) {
            addProcess(out, p, sel);
        }
        for (Map<String, Summary> member : remote(sel, false).values()) {
            for (Summary s : member.values()) {
                out.merge(s);
            }
        }
        return out;
    }

    /** One summary per selected process, by id, in selection order (this member's, then the others'). */
    public Map<String, Summary> perProcess(Selection sel) {
        Map<String, Summary> out = new LinkedHashMap<>();
        for (ProcessStore p : sel.processes()) {
            Summary s = new Summary();
            addProcess(s, p, sel);
            out.put(p.id(), s);
        }
        out.putAll(remotePerProcess(sel));
        return out;
    }

    /** One summary per process on other members over the selection's range, in the selection's order. */
    public Map<String, Summary> remotePerProcess(Selection sel) {
        Map<String, Summary> fetched = new LinkedHashMap<>();
        remote(sel, true).values().forEach(fetched::putAll);
        Map<String, Summary> out = new LinkedHashMap<>();
        for (Selection.Remote r : sel.remote()) {
            out.put(r.id(), fetched.getOrDefault(r.id(), new Summary()));
        }
        return out;
    }

    private Map<String, Map<String, Summary>> remote(Selection sel, boolean split) {
        if (sel.remote().isEmpty()) {
            return Map.of();
        }
        return members.summaries(sel.remoteByMember(), sel.fromMillis(), sel.toMillis(), split);
    }

    /** The stored summaries of one process over the selection's range, unmerged (merging stacks is the costly part). */
    public List<Summary> stored(ProcessStore p, Selection sel) {
        List<Summary> out = new ArrayList<>();
        for (StoredEntry e : p.entries(sel.fromMillis(), sel.toMillis())) {
            try {
                out.add(cache.get(p, e));
            } catch (IOException ex) {
                throw new UncheckedIOException("reading the summary of " + p.id() + " #" + e.seq(), ex);
            }
        }
        return out;
    }

    private void addProcess(Summary out, ProcessStore p, Selection sel) {
        for (StoredEntry e : p.entries(sel.fromMillis(), sel.toMillis())) {
            try {
                out.merge(cache.get(p, e));
            } catch (IOException ex) {
                throw new UncheckedIOException("reading the summary of " + p.id() + " #" + e.seq(), ex);
            }
        }
    }

    /**
     * One series of one process over the selection's range, read straight from the stored summaries
     * (no stack tables are merged). A name ending in ".rate" is the per-second rate of a counter gauge
     * (proc.ctxInvoluntary.rate: switches per second from the cumulative count). Null when absent.
     */
    public Series series(ProcessStore p, Selection sel, String metric) {
        // A recorded series whose own name ends in ".rate" (alloc.rate) is itself, not the rate of "alloc".
        Series exact = collect(p, sel, metric);
        if (exact != null || !metric.endsWith(RATE) || metric.equals(RATE)) {
            return exact;
        }
        Series counter = collect(p, sel, metric.substring(0, metric.length() - RATE.length()));
        return counter == null ? null : rateOf(counter, metric);
    }

    private Series collect(ProcessStore p, Selection sel, String base) {
        Series out = null;
        for (StoredEntry e : p.entries(sel.fromMillis(), sel.toMillis())) {
            Series s;
            try {
                s = cache.get(p, e).seriesOrNull(base);
            } catch (IOException ex) {
                throw new UncheckedIOException("reading the summary of " + p.id() + " #" + e.seq(), ex);
            }
            if (s == null) {
                continue;
            }
            if (out == null) {
                out = new Series(base, s.unit, s.kind);
            }
            for (Map.Entry<Long, Double> pt : s.points().subMap(sel.fromMillis(), true, sel.toMillis(), true).entrySet()) {
                out.add(pt.getKey(), pt.getValue());
            }
        }
        return out;
    }

    static final String RATE = ".rate";

    /** Per-second increase between consecutive points; a drop (threads that exited took their counts) is skipped. */
    static Series rateOf(Series counter, String name) {
        Series r = new Series(name, counter.unit + "/s", Series.Kind.GAUGE);
        Map.Entry<Long, Double> prev = null;
        for (Map.Entry<Long, Double> pt : counter.points().entrySet()) {
            if (prev != null && pt.getKey() > prev.getKey() && pt.getValue() >= prev.getValue()) {
                r.add(pt.getKey(), (pt.getValue() - prev.getValue()) * 1000.0 / (pt.getKey() - prev.getKey()));
            }
            prev = pt;
        }
        return r;
    }

    /** Names of the series the process has in its latest upload, for error messages and discovery. */
    public TreeMap<String, String> seriesNames(ProcessStore p) {
        TreeMap<String, String> names = new TreeMap<>();
        StoredEntry last = p.latest();
        if (last != null) {
            try {
                for (Series s : cache.get(p, last).allSeries().values()) {
                    names.put(s.name, s.unit);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return names;
    }
}
