package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap live-set trend: the least-squares slope of the floor of heap used after GC (what the heap comes back
 * down to at later collections) past warm-up, as a share of the max heap per hour. A leak is a steady climb
 * (good fit, still climbing in the later half of the window) that adds up to a visible part of the heap.
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
                new Threshold("minFit", 0.6, "R²", "how straight the climb of the floor must be"),
                new Threshold("minRiseShare", 0.02, "max heap", "least total rise over the judged window, as a share of max heap"),
                new Threshold("minPoints", 4, "GCs", "collections after warm-up needed to judge"),
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to say anything"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series after = p.summary().seriesOrNull("heap.afterGc");
        if (after == null || after.isEmpty()) {
            return CheckResult.notApplicable(this, p.id(), "no heap-after-GC figures (jdk.GCHeapSummary not recorded, or no GC yet)");
        }
        int minPoints = (int) limits.get(this, "minPoints");
        long warm = Trend.warmUpEnd(p);
        Climb c = Climb.of(Trend.floor(after.points().tailMap(warm, true)), warm, minPoints);
        if (c == null) {
            return CheckResult.notApplicable(this, p.id(), "fewer than " + minPoints + " collections after warm-up");
        }
        double minSeconds = limits.get(this, "minSeconds");
        if (c.whole().seconds() < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "%.0f s of collections past warm-up, %.0f s needed", c.whole().seconds(), minSeconds));
        }
        Trend t = c.whole();
        double max = maxHeap(p);
        double sharePerHour = c.sustainedPerSecond() * 3600 / max;
        Verdict v = c.verdict(3600 / max, limits.get(this, "warnSharePerHour"), limits.get(this, "failSharePerHour"),
                limits.get(this, "minFit"), limits.get(this, "minRiseShare") * max);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("slopeBytesPerSecond", c.sustainedPerSecond());
        ev.put("sharePerHour", sharePerHour);
        ev.putAll(c.evidence("wholeSharePerHour", 3600 / max));
        ev.put("riseBytes", t.rise());
        ev.put("maxHeapBytes", max);
        ev.put("gcPoints", t.points());
        ev.put("leakCandidates", LeakCandidates.of(p.summary(), 5));
        ev.put("series", List.of("heap.afterGc", "heap.used"));
        String summary = String.format(Locale.ROOT,
                "heap after GC (its floor) %s %.1f MB/min sustained (%.0f%% of max heap per hour, fit %.2f) over %d collections",
                c.sustainedPerSecond() >= 0 ? "grows" : "shrinks", Math.abs(c.sustainedPerSecond()) * 60 / 1e6,
                sharePerHour * 100, t.r2(), t.points());
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
