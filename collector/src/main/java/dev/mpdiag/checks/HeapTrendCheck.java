package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Heap live set: what the heap comes back down to once the old generation has been collected, against its early
 * baseline, as a share of the max heap. The floor of young collections is not the live set: old garbage rides
 * in it until an old, mixed or concurrent cycle takes it back (in G1 a young floor climbs for minutes with no
 * leak). So the live set is read after old collections only: after each old-generation cycle ends, the least
 * heap used after any collection until the next cycle ends. It is judged as the other leaks are: still
 * climbing, and held over the early baseline (graded by its share of the max heap). Where no old collection
 * happened the check says so instead of judging the young floor. Leak candidates come from jdk.OldObjectSample.
 */
public final class HeapTrendCheck implements Check {
    /** Heap-after-GC points this close before an old cycle's end still belong to it (clocks round to the ms). */
    static final long CYCLE_SLACK_MILLIS = 5;

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
        return List.of("jdk.GCHeapSummary", "jdk.GarbageCollection", "jdk.OldObjectSample (leak candidates)");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnSharePerHour", 0.25, "max heap/h", "growth per hour, as a share of max heap, that warns"),
                new Threshold("failSharePerHour", 1.0, "max heap/h", "growth per hour that fails (full within the hour)"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb of the live set must be"),
                new Threshold("minRiseShare", 0.02, "max heap", "least rise over the judged window, as a share of max heap"),
                new Threshold("minPoints", 3, "old cycles", "old-generation cycles after warm-up needed to judge the climb"),
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to judge the climb"),
                new Threshold("warnHeldShare", 0.2, "max heap", "live set held over the early baseline, as a share of max heap, that warns"),
                new Threshold("failHeldShare", 0.4, "max heap", "live set held over the baseline that fails"),
                new Threshold("minRatio", 2, "x baseline", "a held live set counts only where it is this many times the baseline"),
                new Threshold("failLiveShare", 0.85, "max heap", "live set as a share of the max heap that fails whatever the baseline"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series after = p.summary().seriesOrNull("heap.afterGc");
        if (after == null || after.isEmpty()) {
            return CheckResult.notApplicable(this, p.id(), "no heap-after-GC figures (jdk.GCHeapSummary not recorded, or no GC yet)");
        }
        double max = maxHeap(p);
        NavigableMap<Long, Double> live = liveSet(p);
        if (live.isEmpty()) {
            NavigableMap<Long, Double> floor = Trend.floor(after.points());
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "no old-generation collection in the window, so the live set is not known: the floor of young"
                            + " collections went %.1f -> %.1f MB over %d collections, but it also holds old garbage"
                            + " that only an old or mixed collection frees", floor.firstEntry().getValue() / 1e6,
                    floor.lastEntry().getValue() / 1e6, after.size()));
        }
        // The baseline comes from the early heap after any collection: then, little old garbage has piled up.
        NavigableMap<Long, Double> judged = new TreeMap<>(live);
        Map.Entry<Long, Double> early = earliestLow(p.withEarly(after.name));
        if (early.getKey() < judged.firstKey()) {
            judged.put(early.getKey(), early.getValue());
        }
        // A live set at failLiveShare of the max heap fails outright: the limit's warn and fail shares are the same.
        LeakJudgement j = LeakJudgement.of(judged, Trend.warmUpEnd(p), (int) limits.get(this, "minPoints"), bounds(limits, max),
                3600 / max, max, limits.get(this, "failLiveShare"), limits.get(this, "failLiveShare"));
        if (j == null) {
            return CheckResult.notApplicable(this, p.id(), "too few heap figures after old collections");
        }
        Verdict v = j.verdict();
        Buildup b = j.buildup();
        Map<String, Object> ev = j.evidence("sharePerHour", 3600 / max, 1);
        ev.put("slopeBytesPerSecond", j.sustainedPerSecond());
        ev.put("heldShare", b.growth() / max);
        ev.put("liveShare", b.recent() / max);
        ev.put("riseBytes", b.growth());
        ev.put("maxHeapBytes", max);
        ev.put("oldCycles", live.size());
        ev.put("gcPoints", live.size());
        ev.put("leakCandidates", LeakCandidates.of(p.summary(), 5));
        ev.put("why", j.why("MB", 1e-6));
        ev.put("series", List.of("heap.afterGc", "heap.used"));
        String summary = String.format(Locale.ROOT,
                "live set after old collections %.0f -> %.0f MB (%+.0f MB, %.0f%% of the max heap held; %s%s) over %d old cycles",
                b.baseline() / 1e6, b.recent() / 1e6, b.growth() / 1e6, 100 * b.growth() / max, b.shape().words,
                j.climb() == null ? "" : String.format(Locale.ROOT, ", %.1f MB/min sustained, %.0f%% of max heap per hour, fit %.2f",
                        j.sustainedPerSecond() * 60 / 1e6, j.sustainedPerSecond() * 3600 / max * 100, j.climb().whole().r2()),
                live.size());
        double score = v == Verdict.OK ? 0 : Math.max(Grade.score(j.sustainedPerSecond() * 3600 / max,
                limits.get(this, "failSharePerHour")), Grade.score(b.growth() / max, limits.get(this, "failHeldShare")));
        return new CheckResult(id(), title(), p.id(), v, score, summary, ev);
    }

    private LeakJudgement.Bounds bounds(Limits l, double max) {
        // Rates are graded as shares of the max heap per hour; sizes in bytes.
        return new LeakJudgement.Bounds(l.get(this, "warnSharePerHour"), l.get(this, "failSharePerHour"), l.get(this, "minFit"),
                l.get(this, "minRiseShare") * max, l.get(this, "minSeconds"), l.get(this, "warnHeldShare") * max,
                l.get(this, "failHeldShare") * max, l.get(this, "minRatio"));
    }

    /**
     * The live set: for each end of an old-generation cycle, the least heap used after any collection from then
     * until the next cycle ends (or the window ends), keyed by the cycle's end. G1's concurrent cycle reports a
     * heap that young allocation kept filling while it marked; the young and mixed collections after it have
     * the marked garbage taken out.
     */
    static NavigableMap<Long, Double> liveSet(ProcessData p) {
        TreeMap<Long, Double> out = new TreeMap<>();
        Series cycles = p.summary().seriesOrNull(Summary.OLD_CYCLE_SERIES);
        Series after = p.summary().seriesOrNull("heap.afterGc");
        if (cycles == null || cycles.isEmpty() || after == null) {
            return out;
        }
        Long[] ends = cycles.points().keySet().toArray(new Long[0]);
        for (int i = 0; i < ends.length; i++) {
            long from = ends[i] - CYCLE_SLACK_MILLIS;
            long to = i + 1 < ends.length ? ends[i + 1] - CYCLE_SLACK_MILLIS : Long.MAX_VALUE;
            double min = Double.POSITIVE_INFINITY;
            for (double v : after.points().subMap(from, true, to, false).values()) {
                min = Math.min(min, v);
            }
            if (min < Double.POSITIVE_INFINITY) {
                out.put(ends[i], min);
            }
        }
        return out;
    }

    /** The least heap after GC in the window's first tenth (at most 10 s), with its time. */
    private static Map.Entry<Long, Double> earliestLow(NavigableMap<Long, Double> after) {
        long first = after.firstKey();
        long end = first + Math.min(Buildup.BASELINE_MAX_MILLIS, (after.lastKey() - first) / 10);
        Map.Entry<Long, Double> best = after.firstEntry();
        for (Map.Entry<Long, Double> e : after.subMap(first, true, end, true).entrySet()) {
            if (e.getValue() < best.getValue()) {
                best = e;
            }
        }
        return Map.entry(first, best.getValue());
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
