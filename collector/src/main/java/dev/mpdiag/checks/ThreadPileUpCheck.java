package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Thread pile-up: live threads climbing steadily, and which thread names grow. */
public final class ThreadPileUpCheck implements Check {
    @Override
    public String id() {
        return "thread-pileup";
    }

    @Override
    public String title() {
        return "Thread pile-up";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.JavaThreadStatistics", "jdk.ThreadStart", "jdk.ThreadEnd");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnPerMinute", 5, "threads/min", "steady growth of live threads that warns"),
                new Threshold("failPerMinute", 60, "threads/min", "steady growth that fails"),
                new Threshold("minRise", 10, "threads", "least rise over the window"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb must be"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series threads = p.summary().seriesOrNull("threads.active");
        if (threads == null || threads.size() < 3) {
            threads = p.summary().seriesOrNull("proc.threads");
        }
        if (threads == null || threads.size() < 3) {
            return CheckResult.notApplicable(this, p.id(), "no thread counts (jdk.JavaThreadStatistics not recorded)");
        }
        Trend t = Trend.of(threads.points(), Trend.warmUpEnd(p, 0.2, 20_000), 3);
        if (t == null) {
            return CheckResult.notApplicable(this, p.id(), "too few thread counts after warm-up");
        }
        double perMinute = t.slopePerSecond() * 60;
        Verdict v = Grade.of(perMinute, limits.get(this, "warnPerMinute"), limits.get(this, "failPerMinute"));
        if (t.rise() < limits.get(this, "minRise") || t.r2() < limits.get(this, "minFit")) {
            v = Verdict.OK;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("threadsPerMinute", perMinute);
        ev.put("fit", t.r2());
        ev.put("from", t.first());
        ev.put("to", t.last());
        ev.put("growingNames", ThreadNames.growing(p.summary(), 5));
        ev.put("series", List.of(threads.name));
        String summary = String.format(Locale.ROOT, "live threads %.0f -> %.0f (%+.1f/min, fit %.2f)", t.first(), t.last(),
                perMinute, t.r2());
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(perMinute, limits.get(this, "failPerMinute")), summary, ev);
    }
}
