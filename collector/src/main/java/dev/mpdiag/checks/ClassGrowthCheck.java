package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Metaspace and class growth past warm-up: a class loader leak or unbounded generated classes. */
public final class ClassGrowthCheck implements Check {
    @Override
    public String id() {
        return "class-growth";
    }

    @Override
    public String title() {
        return "Metaspace and class growth";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.ClassLoadingStatistics", "jdk.MetaspaceSummary");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnClassesPerMinute", 100, "classes/min", "steady growth of loaded classes that warns"),
                new Threshold("failClassesPerMinute", 1000, "classes/min", "steady growth that fails"),
                new Threshold("minFit", 0.7, "R²", "how straight the climb must be"),
                new Threshold("warmUpSeconds", 60, "s", "start-up time ignored (class loading is normal then)"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series classes = p.summary().seriesOrNull("classes.loaded");
        if (classes == null || classes.size() < 3) {
            return CheckResult.notApplicable(this, p.id(), "no class counts (jdk.ClassLoadingStatistics not recorded)");
        }
        long warm = Math.max(Trend.warmUpEnd(p, 0.2, 0),
                p.summary().jvm.startMillis + (long) (limits.get(this, "warmUpSeconds") * 1000));
        Trend t = Trend.of(classes.points(), warm, 3);
        if (t == null) {
            return CheckResult.notApplicable(this, p.id(), "the window ends before warm-up does (or too few points after it)");
        }
        double perMinute = t.slopePerSecond() * 60;
        Verdict v = Grade.of(perMinute, limits.get(this, "warnClassesPerMinute"), limits.get(this, "failClassesPerMinute"));
        if (t.r2() < limits.get(this, "minFit")) {
            v = Verdict.OK;
        }
        Series meta = p.summary().seriesOrNull("metaspace.used");
        Trend mt = meta == null ? null : Trend.of(meta.points(), warm, 3);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("classesPerMinute", perMinute);
        ev.put("fit", t.r2());
        ev.put("metaspaceBytesPerMinute", mt == null ? null : mt.slopePerSecond() * 60);
        ev.put("series", List.of("classes.loaded", "metaspace.used"));
        String summary = String.format(Locale.ROOT, "loaded classes %.0f -> %.0f (%+.1f/min past warm-up, fit %.2f)",
                t.first(), t.last(), perMinute, t.r2());
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(perMinute, limits.get(this, "failClassesPerMinute")), summary, ev);
    }
}
