package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Context-switch storm: switches per second of the process's own threads (voluntary and involuntary,
 * from mpagent; JFR's jdk.ThreadContextSwitchRate is machine-wide) past warm-up, and per CPU sample, since a
 * storm switches a lot for little work. A switch costs a few microseconds plus cache refills, so 10,000 a
 * second on one core is a few percent of it.
 */
public final class CtxStormCheck implements Check {
    @Override
    public String id() {
        return "ctx-storm";
    }

    @Override
    public String title() {
        return "Context-switch storm";
    }

    @Override
    public List<String> events() {
        return List.of("mpdiag.ProcessResources (mpagent)", "jdk.ExecutionSample");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnPerSecond", 10_000, "switches/s", "switches per second of the process that warn"),
                new Threshold("failPerSecond", 40_000, "switches/s", "switches per second that fail"),
                new Threshold("warnInvoluntaryPerSecond", 5_000, "switches/s", "involuntary switches per second that warn"),
                new Threshold("minSeconds", 10, "s", "judged time past warm-up needed to say anything"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Series vol = p.summary().seriesOrNull("proc.ctxVoluntary");
        Series inv = p.summary().seriesOrNull("proc.ctxInvoluntary");
        if (vol == null || inv == null || vol.size() < 3) {
            return CheckResult.notApplicable(this, p.id(), "no per-process context switch counts: JFR's rate is "
                    + "machine-wide; run with mpagent, which adds mpdiag.ProcessResources");
        }
        long from = Trend.warmUpEnd(p);
        double judgedSeconds = (p.toMillis() - from) / 1000.0;
        double minSeconds = limits.get(this, "minSeconds");
        if (judgedSeconds < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT,
                    "%.0f s of switch counts past warm-up, %.0f s needed", judgedSeconds, minSeconds));
        }
        double v = rate(vol.points().tailMap(from, true));
        double i = rate(inv.points().tailMap(from, true));
        double total = v + i;
        Verdict verdict = Grade.of(total, limits.get(this, "warnPerSecond"), limits.get(this, "failPerSecond"));
        if (verdict == Verdict.OK && i >= limits.get(this, "warnInvoluntaryPerSecond")) {
            verdict = Verdict.WARN;
        }
        Series samples = p.summary().seriesOrNull("cpu.samples");
        double samplesPerSecond = samples == null ? Double.NaN : Stats.perSecond(samples.points(), p);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("voluntaryPerSecond", v);
        ev.put("involuntaryPerSecond", i);
        ev.put("switchesPerCpuSample", samplesPerSecond > 0 ? total / samplesPerSecond : null);
        ev.put("series", List.of("proc.ctxVoluntary.rate", "proc.ctxInvoluntary.rate"));
        String summary = String.format(Locale.ROOT, "%.0f context switches/s (%.0f voluntary, %.0f involuntary)", total, v, i);
        return new CheckResult(id(), title(), p.id(), verdict, Grade.score(total, limits.get(this, "failPerSecond")),
                summary, ev);
    }

    /**
     * Mean rate of a cumulative count: the sum of increases over the time they span. A drop (threads that
     * exited took their counts along) is skipped, not subtracted.
     */
    static double rate(NavigableMap<Long, Double> counter) {
        double up = 0;
        long span = 0;
        Map.Entry<Long, Double> prev = null;
        for (Map.Entry<Long, Double> e : counter.entrySet()) {
            if (prev != null && e.getValue() >= prev.getValue()) {
                up += e.getValue() - prev.getValue();
                span += e.getKey() - prev.getKey();
            }
            prev = e;
        }
        return span == 0 ? 0 : up * 1000.0 / span;
    }
}
