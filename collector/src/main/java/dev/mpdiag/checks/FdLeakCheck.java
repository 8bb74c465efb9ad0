package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File-handle leak: open descriptors climbing steadily past warm-up (in the whole judged window and its later
 * half, so connections opening when load arrives do not count), by kind (file, socket, pipe, other).
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
                new Threshold("minSeconds", 15, "s", "judged time past warm-up needed to say anything"));
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
        Climb c = Climb.of(total.points(), warm, 3);
        double minSeconds = limits.get(this, "minSeconds");
        if (c == null || c.whole().seconds() < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "%.0f s of descriptor counts past warm-up, %.0f s needed", c == null ? 0 : c.whole().seconds(), minSeconds));
        }
        Trend t = c.whole();
        double perMinute = c.sustainedPerSecond() * 60;
        Verdict v = c.verdict(60, limits.get(this, "warnPerMinute"), limits.get(this, "failPerMinute"),
                limits.get(this, "minFit"), limits.get(this, "minRise"));
        List<Map<String, Object>> kinds = new ArrayList<>();
        String worst = null;
        double worstRate = 0;
        for (String k : KINDS) {
            Series s = p.summary().seriesOrNull("proc." + k);
            Climb kc = s == null ? null : Climb.of(s.points(), warm, 3);
            if (kc == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", k.substring(2).toLowerCase(Locale.ROOT));
            row.put("perMinute", kc.sustainedPerSecond() * 60);
            row.put("from", kc.whole().first());
            row.put("to", kc.whole().last());
            kinds.add(row);
            if (kc.sustainedPerSecond() > worstRate) {
                worstRate = kc.sustainedPerSecond();
                worst = (String) row.get("kind");
            }
        }
        List<Map<String, Object>> paths = growingPaths(p, warm);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("fdsPerMinute", perMinute);
        ev.putAll(c.evidence("wholePerMinute", 60));
        ev.put("growingKind", worst);
        ev.put("kinds", kinds);
        ev.put("growingPaths", paths);
        ev.put("series", List.of("proc.fdTotal", "proc.fdFile", "proc.fdSocket", "proc.fdPipe", "proc.fdOther"));
        String summary = String.format(Locale.ROOT, "open descriptors %.0f -> %.0f (%+.1f/min sustained, fit %.2f)%s",
                t.first(), t.last(), perMinute, t.r2(), worst == null ? "" : "; growing most: " + worst)
                + (paths.isEmpty() ? "" : ", paths like " + paths.get(0).get("pattern"));
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(perMinute, limits.get(this, "failPerMinute")), summary, ev);
    }

    /**
     * The path patterns whose descriptor counts climbed, fastest first (at most 5). These name what grows once the
     * verdict, judged on the totals above, says something does: a plain least-squares slope past warm-up, or over
     * the whole window while fewer than 2 points lie past it. mpagent sends a point for each of the 5 biggest
     * patterns only every 5 s (mpdiag.FdPathPattern), so the sustained-climb test of the totals would leave them
     * unnamed for the first half minute of a leak.
     */
    static List<Map<String, Object>> growingPaths(ProcessData p, long warm) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Series s : p.summary().seriesStartingWith(Summary.FD_PATH_SERIES).values()) {
            Trend t = Trend.of(s.points(), warm, 2);
            if (t == null) {
                t = Trend.of(s.points(), Long.MIN_VALUE, 2);
            }
            if (t == null || t.slopePerSecond() <= 0 || t.last() <= t.first()) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pattern", s.name.substring(Summary.FD_PATH_SERIES.length()));
            row.put("perMinute", t.slopePerSecond() * 60);
            row.put("from", t.first());
            row.put("to", t.last());
            row.put("series", s.name);
            rows.add(row);
        }
        rows.sort((a, b) -> Double.compare((double) b.get("perMinute"), (double) a.get("perMinute")));
        return rows.size() > 5 ? new ArrayList<>(rows.subList(0, 5)) : rows;
    }
}
