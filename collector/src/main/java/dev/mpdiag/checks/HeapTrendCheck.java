package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap live-set trend: the least-squares slope of heap used after GC past warm-up, as a share of the max heap
 * per hour. A leak is a steady climb (good fit) that adds up to a visible part of the heap.
 */
public final class HeapTrendCheck implements Check {
    @Override
    public String id() {
        return "heap-trend";
    }

    @Override
    public String title() {
        return "Heap live set trend";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.GCHeapSummary", "jdk.OldObjectSample (leak candidates)");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnSharePerHour", 0.25, "max heap/h", "growth per hour, as a share of max heap, that warns"),
                new Threshold("failSharePerHour", 1.0, "max heap/h", "growth per hour that fails (full within the hour)"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb must be"),
                new Threshold("minRiseShare", 0.02, "max heap", "least total rise over the window, as a share of max heap"),
                new Threshold("minPoints", 4, "GCs", "collections after warm-up needed to judge"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series after = p.summary().seriesOrNull("heap.afterGc");
        if (after == null || after.isEmpty()) {
            return CheckResult.notApplicable(this, p.id(), "no heap-after-GC figures (jdk.GCHeapSummary not recorded, or no GC yet)");
        }
        int minPoints = (int) limits.get(this, "minPoints");
        Trend t = Trend.of(after.points(), Trend.warmUpEnd(p, 0.2, 20_000), minPoints);
        if (t == null) {
            return CheckResult.notApplicable(this, p.id(), "fewer than " + minPoints + " collections after warm-up");
        }
        double max = maxHeap(p);
        double sharePerHour = t.slopePerSecond() * 3600 / max;
        double riseShare = t.rise() / max;
        Verdict v = Grade.of(sharePerHour, limits.get(this, "warnSharePerHour"), limits.get(this, "failSharePerHour"));
        if (t.r2() < limits.get(this, "minFit") || riseShare < limits.get(this, "minRiseShare")) {
            v = Verdict.OK;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("slopeBytesPerSecond", t.slopePerSecond());
        ev.put("sharePerHour", sharePerHour);
        ev.put("fit", t.r2());
        ev.put("riseBytes", t.rise());
        ev.put("maxHeapBytes", max);
        ev.put("gcPoints", t.points());
        ev.put("leakCandidates", LeakCandidates.of(p.summary(), 5));
        ev.put("series", List.of("heap.afterGc", "heap.used"));
        String summary = String.format(Locale.ROOT,
                "heap after GC %s %.1f MB/min (%.0f%% of max heap per hour, fit %.2f) over %d collections",
                t.slopePerSecond() >= 0 ? "grows" : "shrinks", Math.abs(t.slopePerSecond()) * 60 / 1e6, sharePerHour * 100,
                t.r2(), t.points());
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(sharePerHour, limits.get(this, "failSharePerHour")), summary, ev);
    }

    /** The max heap when the recording says it, else the largest committed heap seen (a lower bound). */
    static double maxHeap(ProcessData p) {
        if (p.summary().jvm.maxHeapBytes > 0) {
            return p.summary().jvm.maxHeapBytes;
        }
        Series committed = p.summary().seriesOrNull("heap.committed");
        double c = committed == null ? Double.NaN : committed.max();
        return Double.isNaN(c) || c <= 0 ? 1L << 30 : c;
    }
}
