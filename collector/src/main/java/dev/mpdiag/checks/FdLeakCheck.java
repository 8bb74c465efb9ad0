package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File-handle leak: descriptors opened and never closed. Open descriptors are judged two ways: still climbing
 * steadily past warm-up (connections opening when load arrives climb once, then stay), and held over the early
 * baseline, graded by how many and by how close they come to the process's limit (ulimit -n), so a leak that
 * filled its cap before warm-up ended, or ran into the limit, is seen. The evidence says which kind (file,
 * socket, pipe, other) and which path patterns hold them.
 */
public final class FdLeakCheck implements Check {
    static final String[] KINDS = {"fdFile", "fdSocket", "fdPipe", "fdOther"};

    @Override
    public String id() {
        return "fd-leak";
    }

    @Override
    public String title() {
        return "File descriptor leak";
    }

    @Override
    public List<String> events() {
        return List.of("mpdiag.ProcessResources (mpagent)");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnPerMinute", 10, "fds/min", "steady growth of open descriptors that warns"),
                new Threshold("failPerMinute", 100, "fds/min", "steady growth that fails"),
                new Threshold("minRise", 20, "fds", "least rise over the judged window"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb must be"),
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to judge the climb"),
                new Threshold("warnHeld", 500, "fds", "descriptors held over the early baseline that warn"),
                new Threshold("failHeld", 2000, "fds", "descriptors held over the baseline that fail"),
                new Threshold("minRatio", 2, "x baseline", "held descriptors count only where now is this many times the baseline"),
                new Threshold("warnLimitShare", 0.5, "of ulimit -n", "open descriptors as a share of the process's limit that warn"),
                new Threshold("failLimitShare", 0.8, "of ulimit -n", "share of the limit that fails"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series total = p.summary().seriesOrNull("proc.fdTotal");
        if (total == null || total.size() < 3) {
            return CheckResult.notApplicable(this, p.id(),
                    "no descriptor counts: JFR has no such event; run with mpagent, which adds mpdiag.ProcessResources");
        }
        long warm = Trend.warmUpEnd(p);
        Series limitSeries = p.summary().seriesOrNull("proc.fdLimit");
        double limit = limitSeries == null || limitSeries.isEmpty() ? 0 : limitSeries.last();
        LeakJudgement j = LeakJudgement.of(p.withEarly(total.name), warm, 3, LeakJudgement.Bounds.of(this, limits), 60, limit,
                limits.get(this, "warnLimitShare"), limits.get(this, "failLimitShare"));
        Verdict v = j.verdict();
        List<Map<String, Object>> kinds = new ArrayList<>();
        String worst = null;
        double worstGrowth = 0;
        for (String k : KINDS) {
            Series s = p.summary().seriesOrNull("proc." + k);
            Buildup kb = s == null ? null : Buildup.of(p.withEarly(s.name), 3, false, limits.get(this, "minRise"));
            if (kb == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", k.substring(2).toLowerCase(Locale.ROOT));
            row.put("from", kb.baseline());
            row.put("to", kb.recent());
            row.put("growth", kb.growth());
            kinds.add(row);
            if (kb.growth() > worstGrowth) {
                worstGrowth = kb.growth();
                worst = (String) row.get("kind");
            }
        }
        List<Map<String, Object>> paths = growingPaths(p, j.buildup().fromMillis());
        Map<String, Object> ev = j.evidence("fdsPerMinute", 60, 1);
        ev.put("from", j.buildup().baseline());
        ev.put("to", j.buildup().recent());
        ev.put("limit", limit > 0 ? limit : null);
        ev.put("limitShare", limit > 0 ? j.buildup().recent() / limit : null);
        ev.put("growingKind", worst);
        ev.put("kinds", kinds);
        ev.put("growingPaths", paths);
        ev.put("why", j.why("fds", 1));
        ev.put("series", List.of("proc.fdTotal", "proc.fdFile", "proc.fdSocket", "proc.fdPipe", "proc.fdOther"));
        Buildup b = j.buildup();
        String summary = String.format(Locale.ROOT, "open descriptors %s -> %s (%s%s %s; %s%s)%s%s%s",
                LeakJudgement.count(b.baseline()), LeakJudgement.count(b.recent()), b.growth() >= 0 ? "+" : "",
                LeakJudgement.count(b.growth()), p.since(), b.shape().words,
                j.climb() == null ? "" : String.format(Locale.ROOT, ", %+.1f/min sustained, fit %.2f",
                        j.sustainedPerSecond() * 60, j.climb().whole().r2()),
                limit > 0 ? String.format(Locale.ROOT, "; %.0f%% of the limit of %s", 100 * b.recent() / limit,
                        LeakJudgement.count(limit)) : "",
                worst == null ? "" : "; growing most: " + worst,
                paths.isEmpty() ? "" : ", paths like " + paths.get(0).get("pattern"));
        double score = v == Verdict.OK ? 0 : Math.max(Grade.score(j.sustainedPerSecond() * 60, limits.get(this, "failPerMinute")),
                Math.max(j.heldVerdict() == Verdict.OK ? 0 : Grade.score(b.growth(), limits.get(this, "failHeld")),
                        limit > 0 ? Grade.score(b.recent() / limit, limits.get(this, "failLimitShare")) : 0));
        return new CheckResult(id(), title(), p.id(), v, score, summary, ev);
    }

    /**
     * The path patterns that hold more descriptors at the end than at the start, most growth first (at most 5).
     * mpagent sends a point for each of the 5 biggest patterns only every 5 s (mpdiag.FdPathPattern): a pattern
     * first seen after the window's first ten seconds was not among the biggest then, so it grew from about 0.
     */
    static List<Map<String, Object>> growingPaths(ProcessData p, long windowStart) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Series s : p.summary().seriesStartingWith(Summary.FD_PATH_SERIES).values()) {
            if (s.isEmpty()) {
                continue;
            }
            double first = s.points().firstKey() <= windowStart + Buildup.BASELINE_MAX_MILLIS ? s.points().firstEntry().getValue() : 0;
            double last = s.last();
            if (last <= first) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pattern", s.name.substring(Summary.FD_PATH_SERIES.length()));
            row.put("growth", last - first);
            row.put("from", first);
            row.put("to", last);
            row.put("series", s.name);
            rows.add(row);
        }
        rows.sort((a, b) -> Double.compare((double) b.get("growth"), (double) a.get("growth")));
        return rows.size() > 5 ? new ArrayList<>(rows.subList(0, 5)) : rows;
    }
}
