package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Allocation-rate stability: bytes allocated per second in consecutive windows; their coefficient of
 * variation. Steady load allocates steadily; bursts or a step (a code path that started allocating) stand out.
 */
public final class AllocStabilityCheck implements Check {
    @Override
    public String id() {
        return "alloc-stability";
    }

    @Override
    public String title() {
        return "Allocation rate stability";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.ObjectAllocationSample");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnCv", 0.5, "cv", "variation of the per-window rate that warns"),
                new Threshold("failCv", 1.0, "cv", "variation that fails"),
                new Threshold("windowSeconds", 10, "s", "window length"),
                new Threshold("minWindows", 4, "windows", "windows needed to judge"),
                new Threshold("minBytesPerSecond", 1e6, "bytes/s", "below this mean rate nothing is judged (idle)"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series rate = p.summary().seriesOrNull("alloc.rate");
        if (rate == null || rate.isEmpty()) {
            return CheckResult.notApplicable(this, p.id(), "no allocation samples (jdk.ObjectAllocationSample not recorded)");
        }
        long window = (long) (limits.get(this, "windowSeconds") * 1000);
        long from = Math.max(p.fromMillis(), rate.points().firstKey() / 1000 * 1000);
        double[] w = Stats.windows(rate.points(), from, Math.min(p.toMillis(), rate.points().lastKey()), window);
        int minWindows = (int) limits.get(this, "minWindows");
        if (w.length < minWindows) {
            return CheckResult.notApplicable(this, p.id(), "fewer than " + minWindows + " windows of "
                    + window / 1000 + " s");
        }
        double mean = Stats.mean(w) / (window / 1000.0);
        double cv = Stats.cv(w);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double x : w) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        Verdict v = mean < limits.get(this, "minBytesPerSecond") ? Verdict.OK
                : Grade.of(cv, limits.get(this, "warnCv"), limits.get(this, "failCv"));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("meanBytesPerSecond", mean);
        ev.put("cv", cv);
        ev.put("windows", w.length);
        ev.put("minWindowBytesPerSecond", min / (window / 1000.0));
        ev.put("maxWindowBytesPerSecond", max / (window / 1000.0));
        ev.put("series", List.of("alloc.rate"));
        String summary = String.format(Locale.ROOT, "%.1f MB/s on average, %.1f to %.1f MB/s over %d windows (cv %.2f)",
                mean / 1e6, min / (window / 1000.0) / 1e6, max / (window / 1000.0) / 1e6, w.length, cv);
        return new CheckResult(id(), title(), p.id(), v, v == Verdict.OK ? 0 : Grade.score(cv, limits.get(this, "failCv")),
                summary, ev);
    }
}
