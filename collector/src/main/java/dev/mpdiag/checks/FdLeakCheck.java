package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** File-handle leak: open descriptors climbing steadily, by kind (file, socket, pipe, other). */
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
                new Threshold("minRise", 20, "fds", "least rise over the window"),
                new Threshold("minFit", 0.6, "R²", "how straight the climb must be"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series total = p.summary().seriesOrNull("proc.fdTotal");
        if (total == null || total.size() < 3) {
            return CheckResult.notApplicable(this, p.id(),
                    "no descriptor counts: JFR has no such event; run with mpagent, which adds mpdiag.ProcessResources");
        }
        long warm = Trend.warmUpEnd(p, 0.2, 20_000);
        Trend t = Trend.of(total.points(), warm, 3);
        if (t == null) {
            return CheckResult.notApplicable(this, p.id(), "too few descriptor counts after warm-up");
        }
        double perMinute = t.slopePerSecond() * 60;
        Verdict v = Grade.of(perMinute, limits.get(this, "warnPerMinute"), limits.get(this, "failPerMinute"));
        if (t.rise() < limits.get(this, "minRise") || t.r2() < limits.get(this, "minFit")) {
            v = Verdict.OK;
        }
        List<Map<String, Object>> kinds = new ArrayList<>();
        String worst = null;
        double worstRate = 0;
        for (String k : KINDS) {
            Series s = p.summary().seriesOrNull("proc." + k);
            Trend kt = s == null ? null : Trend.of(s.points(), warm, 3);
            if (kt == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", k.substring(2).toLowerCase(Locale.ROOT));
            row.put("perMinute", kt.slopePerSecond() * 60);
            row.put("from", kt.first());
            row.put("to", kt.last());
            kinds.add(row);
            if (kt.slopePerSecond() > worstRate) {
                worstRate = kt.slopePerSecond();
                worst = (String) row.get("kind");
            }
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("fdsPerMinute", perMinute);
        ev.put("fit", t.r2());
        ev.put("growingKind", worst);
        ev.put("kinds", kinds);
        ev.put("series", List.of("proc.fdTotal", "proc.fdFile", "proc.fdSocket", "proc.fdPipe", "proc.fdOther"));
        String summary = String.format(Locale.ROOT, "open descriptors %.0f -> %.0f (%+.1f/min, fit %.2f)%s", t.first(),
                t.last(), perMinute, t.r2(), worst == null ? "" : "; growing most: " + worst);
        return new CheckResult(id(), title(), p.id(), v,
                v == Verdict.OK ? 0 : Grade.score(perMinute, limits.get(this, "failPerMinute")), summary, ev);
    }
}
