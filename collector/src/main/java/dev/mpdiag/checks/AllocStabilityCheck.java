package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Allocation-rate stability: bytes allocated per second in consecutive windows past warm-up, and how much the
 * rate moves from one window to the next (the successive-difference coefficient of variation). Steady load
 * allocates steadily; bursts stand out. Throughput climbs while the JIT compiles the hot paths (a minute or more
 * on a busy one-core worker, allocating ten times more per second at its end): the first minute of the JVM is
 * warm-up, and a slower climb moves the plain cv (reported too) far more than the window-to-window variation.
 * Idle windows (load not started yet, or over) are left out.
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
        return List.of(new Threshold("warnCv", 0.5, "cv", "window-to-window variation of the rate (successive-difference cv) that warns"),
                new Threshold("failCv", 1.0, "cv", "variation that fails"),
                new Threshold("windowSeconds", 10, "s", "window length"),
                new Threshold("minWindows", 6, "windows", "busy windows past warm-up needed to judge"),
                new Threshold("minBytesPerSecond", 1e6, "bytes/s", "below this mean rate nothing is judged (idle)"),
                new Threshold("idleShare", 0.1, "of median", "a window allocating less than this share of the median is idle, not judged"),
                new Threshold("warmUpSeconds", 60, "s", "time from JVM start ignored: throughput climbs while the JIT compiles"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series rate = p.summary().seriesOrNull("alloc.rate");
        if (rate == null || rate.isEmpty()) {
            return CheckResult.notApplicable(this, p.id(), "no allocation samples (jdk.ObjectAllocationSample not recorded)");
        }
        long window = (long) (limits.get(this, "windowSeconds") * 1000);
        long jit = p.summary().jvm.startMillis > 0
                ? p.summary().jvm.startMillis + (long) (limits.get(this, "warmUpSeconds") * 1000) : 0;
        long from = Math.max(Math.max(Trend.warmUpEnd(p), jit), rate.points().firstKey() / 1000 * 1000);
        double[] all = Stats.windows(rate.points(), from, Math.min(p.toMillis(), rate.points().lastKey()), window);
        // Load that stops or has not started yet is not an unstable allocation rate: idle windows are left out.
        double[] w = Stats.busy(all, limits.get(this, "idleShare"));
        int minWindows = (int) limits.get(this, "minWindows");
        if (w.length < minWindows) {
            return CheckResult.notApplicable(this, p.id(), "fewer than " + minWindows + " busy windows of "
                    + window / 1000 + " s past warm-up (" + w.length + "; warm-up ends at least "
                    + (long) limits.get(this, "warmUpSeconds") + " s after JVM start)");
        }
        double mean = Stats.mean(w) / (window / 1000.0);
        double cv = Stats.cv(w);
        double variation = Stats.successiveCv(w);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double x : w) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        Verdict v = mean < limits.get(this, "minBytesPerSecond") ? Verdict.OK
                : Grade.of(variation, limits.get(this, "warnCv"), limits.get(this, "failCv"));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("meanBytesPerSecond", mean);
        ev.put("variation", variation);
        ev.put("cv", cv);
        ev.put("windows", w.length);
        ev.put("idleWindows", all.length - w.length);
        ev.put("minWindowBytesPerSecond", min / (window / 1000.0));
        ev.put("maxWindowBytesPerSecond", max / (window / 1000.0));
        ev.put("series", List.of("alloc.rate"));
        String summary = String.format(Locale.ROOT,
                "%.1f MB/s on average, %.1f to %.1f MB/s over %d busy windows (window-to-window variation %.2f, cv %.2f)",
                mean / 1e6, min / (window / 1000.0) / 1e6, max / (window / 1000.0) / 1e6, w.length, variation, cv);
        return new CheckResult(id(), title(), p.id(), v, v == Verdict.OK ? 0 : Grade.score(variation, limits.get(this, "failCv")),
                summary, ev);
    }
}
