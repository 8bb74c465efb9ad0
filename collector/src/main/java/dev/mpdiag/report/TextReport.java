package dev.mpdiag.report;

import dev.mpdiag.engine.LockRows;
import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.engine.jmc.JmcFinding;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal report: one section per process, then the merge of all when there are several. */
public final class TextReport {
    private static final int NAME_WIDTH = 80;
    private static final int MIN_SAMPLES_SHOWN = 20;

    private final PrintStream out;

    public TextReport(PrintStream out) {
        this.out = out;
    }

    public void print(List<ProcessReport> processes, ProcessReport merged, List<String> warnings) {
        for (String w : warnings) {
            out.println("warning: " + w);
        }
        for (ProcessReport p : processes) {
            section(p, "Process " + p.label());
        }
        if (processes.size() > 1 && merged != null) {
            section(merged, merged.label());
        }
    }

    private void section(ProcessReport p, String title) {
        out.println();
        out.println("=== " + title + " ===");
        if (p.jvm() != null && p.jvm().version() != null) {
            out.println("JVM: " + oneLine(p.jvm().display()));
        }
        if (p.startMillis() > 0) {
            out.printf(Locale.ROOT, "Recorded: %s .. %s (%.1f s, %d chunk%s)%n", Instant.ofEpochMilli(p.startMillis()),
                    Instant.ofEpochMilli(p.endMillis()), (p.endMillis() - p.startMillis()) / 1000.0, p.chunks(),
                    p.chunks() == 1 ? "" : "s");
        }
        for (Map.Entry<String, List<TopFrames.Row>> e : p.hotMethods().entrySet()) {
            ProcessReport.ProfileTotals t = p.profiles().get(e.getKey());
            if (t.events() < MIN_SAMPLES_SHOWN && !e.getKey().equals("cpu")) {
                continue; // a handful of native samples ranks noise; the JSON and HTML reports keep them
            }
            out.println();
            out.printf(Locale.ROOT, "Hot methods (%s, %s):%n", e.getKey(), Units.weight(t.totalWeight(), t.unit()));
            out.printf(Locale.ROOT, "  %7s %7s  %s%n", "self", "total", "method");
            for (TopFrames.Row r : e.getValue()) {
                out.printf(Locale.ROOT, "  %7s %7s  %s%n", Units.percent(r.selfShare()), Units.percent(r.totalShare()),
                        clip(r.name()));
            }
        }
        if (!p.allocationClasses().isEmpty()) {
            ProcessReport.ProfileTotals t = p.profiles().get("alloc");
            out.println();
            out.printf(Locale.ROOT, "Allocation by class (%s sampled):%n", Units.bytes(t.totalWeight()));
            for (TopFrames.Row r : p.allocationClasses()) {
                out.printf(Locale.ROOT, "  %10s %6s  %s%n", Units.bytes(r.total()), Units.percent(r.totalShare()), clip(r.name()));
            }
            out.println("Allocation sites:");
            for (TopFrames.Row r : p.allocationSites()) {
                out.printf(Locale.ROOT, "  %10s %6s  %s%n", Units.bytes(r.total()), Units.percent(r.totalShare()), clip(r.name()));
            }
        }
        out.println();
        if (p.locks().isEmpty()) {
            out.println("Contended monitors: none recorded");
        } else {
            out.println("Contended monitors (blocked time, events, longest; site that blocked most):");
            for (LockRows.Row r : p.locks()) {
                out.printf(Locale.ROOT, "  %10s %7d %9s  %s %s%n      at %s (%s)%n", Units.nanos(r.blockedNanos()), r.count(),
                        Units.nanos(r.maxNanos()), r.kind(), clip(r.monitorClass()), clip(r.topSite()),
                        Units.nanos(r.topSiteNanos()));
            }
        }
        ProcessReport.Gc gc = p.gc();
        out.println();
        out.printf(Locale.ROOT, "GC: %d collections, total pause %s (%s of wall time), longest %s%n", gc.collections(),
                Units.nanos(gc.totalPauseNanos()), Units.percent(gc.pauseShare()), Units.nanos(gc.maxPauseNanos()));
        for (Map.Entry<String, long[]> c : gc.byCollector().entrySet()) {
            out.printf(Locale.ROOT, "  %-24s %6d collections, %s paused%n", c.getKey(), c.getValue()[0],
                    Units.nanos(c.getValue()[1]));
        }
        if (!Double.isNaN(gc.heapAfterGcLast())) {
            out.printf(Locale.ROOT, "  heap after GC%s: first %s, last %s, max %s%n",
                    p.id().equals("all") ? " (sum over processes)" : "", Units.bytes(gc.heapAfterGcFirst()),
                    Units.bytes(gc.heapAfterGcLast()), Units.bytes(gc.heapAfterGcMax()));
        }
        ProcessReport.ContextSwitches cs = p.contextSwitches();
        if (cs.perProcess()) {
            out.printf(Locale.ROOT, "Context switches (%s): %s voluntary, %s involuntary; machine-wide %s%n",
                    p.id().equals("all") ? "sum over processes" : "this process",
                    Units.rate(cs.voluntaryPerSecond()), Units.rate(cs.involuntaryPerSecond()),
                    Units.rate(cs.machineWidePerSecond()));
        } else {
            out.printf(Locale.ROOT, "Context switches: machine-wide %s (per-process figures need mpagent's "
                    + "mpdiag.ProcessResources event)%n", Units.rate(cs.machineWidePerSecond()));
        }
        ProcessReport.AgentCost cost = p.agentCost();
        if (cost != null) {
            out.printf(Locale.ROOT, "mpagent: %s of %s CPU (its threads %s, JFR's threads %s%s); events written in the"
                    + " application's threads are not in it%n", Units.percent(cost.cpuShare()),
                    p.id().equals("all") ? "the processes'" : "this process's",
                    Units.nanos(cost.ownCpuNanos()), Units.nanos(cost.jfrCpuNanos()),
                    Double.isNaN(cost.shippedPerSecond()) ? "" : "; shipped " + Units.bytes(cost.shippedPerSecond()) + "/s");
        }
        if (p.jmcFindings() != null) {
            List<JmcFinding> shown = p.jmcFindings().stream().filter(f -> "WARNING".equals(f.severity())).toList();
            out.println();
            out.println("JMC findings at warning or above: " + (shown.isEmpty() ? "none" : ""));
            for (JmcFinding f : shown) {
                out.printf(Locale.ROOT, "  [%s %.0f] %s: %s%n", f.severity(), f.score(), f.id(), oneLine(f.summary()));
            }
        } else if (p.jmcError() != null) {
            out.println();
            out.println("JMC rules: " + p.jmcError());
        }
    }

    private static String clip(String s) {
        return s.length() > NAME_WIDTH ? s.substring(0, NAME_WIDTH - 3) + "..." : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
