package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thread pile-up: threads started and never ended. Live threads are judged two ways: still climbing steadily
 * past warm-up (in the whole judged window and its later half), and held over the early baseline (graded by
 * how many, and how many times the baseline), so a leak that filled its cap early, or hit the thread limit,
 * is seen as well as one still growing. A pool that fills once when load arrives holds a few dozen threads and
 * stays quiet. The evidence names the name patterns whose starts outran their ends (jdk.ThreadStart and
 * jdk.ThreadEnd, warm-up included) and the site that started them.
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
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to judge the climb"),
                new Threshold("warnHeld", 250, "threads", "live threads held over the early baseline that warn"),
                new Threshold("failHeld", 1000, "threads", "live threads held over the baseline that fail"),
                new Threshold("minRatio", 2, "x baseline", "held threads count only where now is this many times the baseline"));
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
        LeakJudgement j = LeakJudgement.of(p.withEarly(threads.name), Trend.warmUpEnd(p), 3, LeakJudgement.Bounds.of(this, limits), 60, 0, 0, 0);
        if (j == null) {
            return CheckResult.notApplicable(this, p.id(), "fewer than 3 thread counts");
        }
        List<Map<String, Object>> names = ThreadNames.growing(p.summary(), 5);
        Verdict v = j.verdict();
        Map<String, Object> ev = j.evidence("threadsPerMinute", 60, 1);
        ev.put("from", j.buildup().baseline());
        ev.put("to", j.buildup().recent());
        ev.put("neverEnded", ThreadNames.neverEnded(p.summary()));
        ev.put("growingNames", names);
        ev.put("why", j.why("threads", 1));
        ev.put("series", List.of(threads.name));
        return new CheckResult(id(), title(), p.id(), v, score(j, v, limits), summary(j, names, limits.get(this, "minRise"), p.since()), ev);
    }

    private double score(LeakJudgement j, Verdict v, Limits limits) {
        if (v == Verdict.OK) {
            return 0;
        }
        return Math.max(Grade.score(j.sustainedPerSecond() * 60, limits.get(this, "failPerMinute")),
                j.heldVerdict() == Verdict.OK ? 0 : Grade.score(j.buildup().growth(), limits.get(this, "failHeld")));
    }

    /** "+1,648 threads since the window began, grew and held: 1,600 leaky-worker-# never ended, started at ...". */
    private static String summary(LeakJudgement j, List<Map<String, Object>> names, double minRise, String since) {
        Buildup b = j.buildup();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "live threads %s -> %s (%s%s %s; %s",
                LeakJudgement.count(b.baseline()), LeakJudgement.count(b.recent()), b.growth() >= 0 ? "+" : "",
                LeakJudgement.count(b.growth()), since, b.shape().words));
        if (j.climb() != null) {
            s.append(String.format(Locale.ROOT, ", %+.1f/min sustained, fit %.2f", j.sustainedPerSecond() * 60,
                    j.climb().whole().r2()));
        }
        s.append(')');
        Map<String, Object> top = names.isEmpty() ? null : names.get(0);
        long open = top == null ? 0 : (long) top.get("started") - (long) top.get("ended");
        if (open >= minRise && b.growth() > 0) {
            s.append(String.format(Locale.ROOT, "; %s %s never ended", LeakJudgement.count(open), top.get("pattern")));
            if (top.get("startSite") != null) {
                s.append(", started at ").append(top.get("startSite"));
            }
        }
        return s.toString();
    }
}
