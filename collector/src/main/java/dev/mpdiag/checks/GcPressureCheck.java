package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.TopFrames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * GC pressure: the share of the window past warm-up spent in GC pauses (in both of its halves: sustained), and a
 * live set near the max heap, with how often collections run and the allocation sites that feed them.
 */
public final class GcPressureCheck implements Check {
    @Override
    public String id() {
        return "gc-pressure";
    }

    @Override
    public String title() {
        return "GC pressure";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.GarbageCollection");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnPauseShare", 0.05, "share", "pause time over wall time, in both halves, that warns"),
                new Threshold("failPauseShare", 0.15, "share", "pause time over wall time that fails"),
                new Threshold("warnLiveShare", 0.75, "max heap", "live set after old collections, as a share of the max heap, that warns"),
                new Threshold("failLiveShare", 0.9, "max heap", "live set share of the max heap that fails"),
                new Threshold("minSeconds", 10, "s", "judged time past warm-up needed to say anything"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series pauses = p.summary().seriesOrNull("gc.pause");
        long count = p.summary().gc.count();
        if (pauses == null && count == 0) {
            if (p.summary().eventCounts().containsKey("jdk.GarbageCollection") || p.summary().seriesOrNull("heap.used") != null) {
                return ok(p, 0, 0, "no garbage collection in the window");
            }
            return CheckResult.notApplicable(this, p.id(), "no jdk.GarbageCollection events (not enabled in the recording)");
        }
        long from = Trend.warmUpEnd(p);
        double judgedSeconds = (p.toMillis() - from) / 1000.0;
        double minSeconds = limits.get(this, "minSeconds");
        if (judgedSeconds < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "%.0f s past warm-up, %.0f s needed", judgedSeconds, minSeconds));
        }
        // Start-up collections (heap sizing, class loading) are not pressure: pause time counts past warm-up.
        // Pressure is sustained: graded on the smaller share of the two halves of that time, so one long pause
        // (a full collection when metaspace first fills, stretched on a busy machine) does not make it. How often
        // collections run is reported but never graded: a young collection every 150 ms that pauses 1% of the
        // time is a healthy service that allocates a lot.
        long mid = from + (p.toMillis() - from) / 2;
        double whole = pauses == null ? p.summary().gc.totalPauseNanos() / 1e9 / p.seconds()
                : sum(pauses, from, p.toMillis()) / 1e9 / judgedSeconds;
        double share = pauses == null ? whole
                : Math.min(sum(pauses, from, mid - 1) / 1e9 / ((mid - from) / 1000.0),
                        sum(pauses, mid, p.toMillis()) / 1e9 / ((p.toMillis() - mid) / 1000.0));
        double perMinute = count * 60.0 / p.seconds();
        Verdict byPauses = Grade.of(share, limits.get(this, "warnPauseShare"), limits.get(this, "failPauseShare"));
        // A live set near the max heap leaves each collection little to free: collections come ever more often.
        NavigableMap<Long, Double> live = HeapTrendCheck.liveSet(p);
        double max = HeapTrendCheck.maxHeap(p);
        double liveShare = live.isEmpty() ? Double.NaN : live.lastEntry().getValue() / max;
        Verdict byLive = live.isEmpty() ? Verdict.OK
                : Grade.of(liveShare, limits.get(this, "warnLiveShare"), limits.get(this, "failLiveShare"));
        Verdict v = byPauses.compareTo(byLive) >= 0 ? byPauses : byLive;
        Map<String, Object> ev = evidence(share, perMinute, p);
        ev.put("wholePauseShare", whole);
        ev.put("liveShare", live.isEmpty() ? null : liveShare);
        String summary = String.format(Locale.ROOT,
                "%.1f%% of the time in GC pauses (sustained; %.1f%% over the whole judged time), %.0f collections/min, longest %.0f ms%s",
                share * 100, whole * 100, perMinute, p.summary().gc.maxPauseNanos() / 1e6,
                live.isEmpty() ? "" : String.format(Locale.ROOT, "; live set %.0f%% of the max heap", liveShare * 100));
        double score = Math.max(Grade.score(share, limits.get(this, "failPauseShare")),
                live.isEmpty() ? 0 : Grade.score(liveShare, limits.get(this, "failLiveShare")));
        return new CheckResult(id(), title(), p.id(), v, v == Verdict.OK ? 0 : score, summary, ev);
    }

    private static double sum(Series s, long from, long to) {
        double total = 0;
        for (double v : s.points().subMap(from, true, to, true).values()) {
            total += v;
        }
        return total;
    }

    private CheckResult ok(ProcessData p, double share, double perMinute, String summary) {
        return new CheckResult(id(), title(), p.id(), Verdict.OK, 0, summary, evidence(share, perMinute, p));
    }

    /** The numbers, and what allocates most: the usual cause of frequent collections. */
    private static Map<String, Object> evidence(double share, double perMinute, ProcessData p) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("pauseShare", share);
        ev.put("collectionsPerMinute", perMinute);
        ev.put("longestPauseMillis", p.summary().gc.maxPauseNanos() / 1e6);
        ev.put("byCollector", p.summary().gc.byCollector());
        List<Map<String, Object>> sites = new ArrayList<>();
        for (TopFrames.Row r : TopFrames.allocationSites(p.summary(), 3)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("share", r.totalShare());
            m.put("bytesPerSecond", r.total() / p.seconds());
            sites.add(m);
        }
        ev.put("topAllocationSites", sites);
        ev.put("series", List.of("gc.pause", "heap.afterGc", "alloc.rate"));
        return ev;
    }
}
