package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thread pile-up: live threads climbing steadily past warm-up, in the whole judged window and in its later
 * half (a pool that fills when load arrives climbs once, then stays), and which thread names grow.
 */
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
        return List.of(new Threshold("warnPerMinute", 10, "threads/min", "steady growth of live threads that warns"),
                new Threshold("failPerMinute", 60, "threads/min", "steady growth that fails"),
                new Threshold("minRise", 10, "threads", "least rise over the judged window"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb must be"),
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to say anything"));
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
        Climb c = Climb.of(threads.points(), Trend.warmUpEnd(p), 3);
        double minSeconds = limits.get(this, "minSeconds");
        if (c == null || c.whole().seconds() < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "%.0f s of thread counts past warm-up, %.0f s needed", c == null ? 0 : c.whole().seconds(), minSeconds));
        }
        Trend t = c.whole();
        double perMinute = c.sustainedPerSecond() * 60;
        Verdict v = c.verdict(60, limits.get(this, "warnPerMinute"), limits.get(this, "failPerMinute"),
                limits.get(this, "minFit"), limits.get(this, "minRise"));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("threadsPerMinute", perMinute);
        ev.putAll(c.evidence("wholePerMinute", 60));
        ev.put("from", t.first());
        ev.put("to", t.last());
        ev.put("growingNames", ThreadNames.growing(p.summary(), 5));
        ev.put("series", List.of(threads.name));
        String summary = String.format(Locale.ROOT, "live threads %.0f -> %.0f (%+.1f/min sustained, fit %.2f)", t.first(),
                t.last(), perMinute, t.r2());
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(perMinute, limits.get(this, "failPerMinute")), summary, ev);
    }
}
