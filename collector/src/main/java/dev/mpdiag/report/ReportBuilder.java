package dev.mpdiag.report;

import dev.mpdiag.engine.LockRows;
import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.engine.ProcessSummary;
import dev.mpdiag.engine.Profile;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.jmc.JmcFinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Boils a summary down to the report rows: top frames, allocation, locks, GC, context switches. */
public final class ReportBuilder {
    public static final int TOP_METHODS = 15;
    public static final int TOP_ROWS = 10;

    private ReportBuilder() {
    }

    public static ProcessReport build(ProcessSummary p, List<JmcFinding> findings, String jmcError) {
        return build(p.id(), p.label(), p.sources(), p.summary(), findings, jmcError);
    }

    /**
     * The report of several processes merged. Profiles, locks, GC counts and per-second sums add up across
     * processes; gauges (heap after GC, cumulative context-switch counters) do not, so those figures are
     * the sums of the per-process figures and gauge series are left out.
     */
    public static ProcessReport buildMerged(Summary merged, List<ProcessReport> processes, List<String> sources) {
        ProcessReport r = build("all", "All " + processes.size() + " processes merged", sources, merged, null, null);
        Map<String, ProcessReport.SeriesStats> sums = new LinkedHashMap<>();
        for (Map.Entry<String, ProcessReport.SeriesStats> e : r.series().entrySet()) {
            Series ser = merged.seriesOrNull(e.getKey());
            if (ser != null && ser.kind == Series.Kind.SUM) {
                sums.put(e.getKey(), e.getValue());
            }
        }
        double first = 0;
        double last = 0;
        double max = 0;
        double vol = 0;
        double invol = 0;
        boolean perProcess = !processes.isEmpty();
        for (ProcessReport p : processes) {
            first += p.gc().heapAfterGcFirst();
            last += p.gc().heapAfterGcLast();
            max += p.gc().heapAfterGcMax();
            perProcess &= p.contextSwitches().perProcess();
            vol += p.contextSwitches().voluntaryPerSecond();
            invol += p.contextSwitches().involuntaryPerSecond();
        }
        ProcessReport.Gc g = r.gc();
        ProcessReport.Gc gc = new ProcessReport.Gc(g.collections(), g.totalPauseNanos(), g.maxPauseNanos(),
                g.pauseShare() / Math.max(1, processes.size()), g.byCollector(), first, last, max);
        ProcessReport.ContextSwitches cs = new ProcessReport.ContextSwitches(perProcess ? vol : Double.NaN,
                perProcess ? invol : Double.NaN, perProcess, r.contextSwitches().machineWidePerSecond());
        return new ProcessReport(r.id(), r.label(), r.sources(), r.jvm(), r.startMillis(), r.endMillis(), r.chunks(),
                r.events(), r.profiles(), r.hotMethods(), r.allocationClasses(), r.allocationSites(), r.locks(), gc, cs,
                sums, null, null, mergedCost(r.agentCost(), processes));
    }

    public static ProcessReport build(String id, String label, List<String> sources, Summary s,
            List<JmcFinding> findings, String jmcError) {
        Map<String, ProcessReport.ProfileTotals> totals = new LinkedHashMap<>();
        Map<String, List<TopFrames.Row>> hot = new LinkedHashMap<>();
        for (ProfileType t : ProfileType.values()) {
            Profile p = s.profileOrNull(t);
            if (p != null) {
                totals.put(t.id(), new ProcessReport.ProfileTotals(t.unit, p.totalWeight(), p.totalCount()));
                if (t == ProfileType.CPU || t == ProfileType.WALL || t == ProfileType.NATIVE) {
                    hot.put(t.id(), TopFrames.methods(s, t, TOP_METHODS));
                }
            }
        }
        Map<String, ProcessReport.SeriesStats> series = new LinkedHashMap<>();
        for (Series ser : s.allSeries().values()) {
            if (!ser.isEmpty()) {
                series.put(ser.name, stats(ser));
            }
        }
        long startMs = s.startNanos() == Long.MAX_VALUE ? 0 : s.startNanos() / 1_000_000;
        long endMs = s.endNanos() == Long.MIN_VALUE ? 0 : s.endNanos() / 1_000_000;
        return new ProcessReport(id, label, sources,
                new ProcessReport.Jvm(s.jvm.pid, s.jvm.jvmName, s.jvm.jvmVersion, s.jvm.jvmArguments,
                        s.jvm.javaArguments, s.jvm.startMillis),
                startMs, endMs, s.chunks(), s.eventCounts(), totals, hot,
                TopFrames.allocatedClasses(s, TOP_ROWS), TopFrames.allocationSites(s, TOP_ROWS),
                LockRows.of(s, false, TOP_ROWS), gc(s, endMs - startMs), contextSwitches(s),
                series, findings, jmcError, agentCost(s));
    }

    /** The CPU sums merge as they are; the shipped rate is the processes' rates added up. */
    private static ProcessReport.AgentCost mergedCost(ProcessReport.AgentCost merged, List<ProcessReport> processes) {
        if (merged == null) {
            return null;
        }
        double shipped = 0;
        for (ProcessReport p : processes) {
            if (p.agentCost() != null && !Double.isNaN(p.agentCost().shippedPerSecond())) {
                shipped += p.agentCost().shippedPerSecond();
            }
        }
        return new ProcessReport.AgentCost(merged.cpuShare(), merged.ownCpuNanos(), merged.jfrCpuNanos(),
                merged.processCpuNanos(), shipped);
    }

    /** The share over the whole recording (all processes', merged): total CPU of ours over the process's. */
    static ProcessReport.AgentCost agentCost(Summary s) {
        Series own = s.seriesOrNull(Summary.AGENT_OWN_CPU);
        Series jfr = s.seriesOrNull(Summary.AGENT_JFR_CPU);
        Series process = s.seriesOrNull(Summary.AGENT_PROCESS_CPU);
        if (own == null || jfr == null || process == null || process.isEmpty()) {
            return null;
        }
        double ownCpu = total(own);
        double jfrCpu = total(jfr);
        double processCpu = total(process);
        if (processCpu <= 0) {
            return null;
        }
        Series shipped = s.seriesOrNull("agent.shippedPerSecond");
        return new ProcessReport.AgentCost((ownCpu + jfrCpu) / processCpu, (long) ownCpu, (long) jfrCpu,
                (long) processCpu, shipped == null || shipped.isEmpty() ? Double.NaN : shipped.mean());
    }

    private static double total(Series s) {
        double sum = 0;
        for (double v : s.points().values()) {
            sum += v;
        }
        return sum;
    }

    private static ProcessReport.Gc gc(Summary s, long wallMillis) {
        Series after = s.seriesOrNull("heap.afterGc");
        boolean heap = after != null && !after.isEmpty();
        return new ProcessReport.Gc(s.gc.count(), s.gc.totalPauseNanos(), s.gc.maxPauseNanos(),
                wallMillis <= 0 ? 0 : s.gc.totalPauseNanos() / (wallMillis * 1e6), s.gc.byCollector(),
                heap ? after.points().firstEntry().getValue() : Double.NaN,
                heap ? after.last() : Double.NaN, heap ? after.max() : Double.NaN);
    }

    private static ProcessReport.ContextSwitches contextSwitches(Summary s) {
        Series machine = s.seriesOrNull("os.contextSwitchRate");
        double machineRate = machine == null ? Double.NaN : machine.mean();
        Series vol = s.seriesOrNull("proc.ctxVoluntary");
        Series invol = s.seriesOrNull("proc.ctxInvoluntary");
        if (vol == null || invol == null || vol.size() < 2 || invol.size() < 2) {
            return new ProcessReport.ContextSwitches(Double.NaN, Double.NaN, false, machineRate);
        }
        return new ProcessReport.ContextSwitches(rate(vol), rate(invol), true, machineRate);
    }

    // A cumulative counter's average rate per second over the series.
    static double rate(Series cumulative) {
        var first = cumulative.points().firstEntry();
        var last = cumulative.points().lastEntry();
        long ms = last.getKey() - first.getKey();
        return ms <= 0 ? Double.NaN : (last.getValue() - first.getValue()) * 1000.0 / ms;
    }

    private static ProcessReport.SeriesStats stats(Series s) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s.points().values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new ProcessReport.SeriesStats(s.unit, s.size(), s.points().firstEntry().getValue(), s.last(), min,
                max, s.mean());
    }
}
