package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** GC pressure: the share of the window spent in GC pauses, and how often collections run. */
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
        return List.of(new Threshold("warnPauseShare", 0.05, "share", "pause time over wall time that warns"),
                new Threshold("failPauseShare", 0.15, "share", "pause time over wall time that fails"),
                new Threshold("warnPerMinute", 120, "GCs/min", "collections per minute that warn"));
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
        double share = p.summary().gc.totalPauseNanos() / 1e9 / p.seconds();
        double perMinute = count * 60.0 / p.seconds();
        Verdict v = Grade.of(share, limits.get(this, "warnPauseShare"), limits.get(this, "failPauseShare"));
        if (v == Verdict.OK && perMinute >= limits.get(this, "warnPerMinute")) {
            v = Verdict.WARN;
        }
        Map<String, Object> ev = evidence(share, perMinute, p);
        String summary = String.format(Locale.ROOT, "%.1f%% of the time in GC pauses, %.0f collections/min, longest %.0f ms",
                share * 100, perMinute, p.summary().gc.maxPauseNanos() / 1e6);
        return new CheckResult(id(), title(), p.id(), v, Grade.score(share, limits.get(this, "failPauseShare")), summary, ev);
    }

    private CheckResult ok(ProcessData p, double share, double perMinute, String summary) {
        return new CheckResult(id(), title(), p.id(), Verdict.OK, 0, summary, evidence(share, perMinute, p));
    }

    private static Map<String, Object> evidence(double share, double perMinute, ProcessData p) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("pauseShare", share);
        ev.put("collectionsPerMinute", perMinute);
        ev.put("longestPauseMillis", p.summary().gc.maxPauseNanos() / 1e6);
        ev.put("byCollector", p.summary().gc.byCollector());
        ev.put("series", List.of("gc.pause", "heap.afterGc"));
        return ev;
    }
}
