package dev.mpdiag.report;

import dev.mpdiag.engine.LockRows;
import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.engine.jmc.JmcFinding;
import java.util.List;
import java.util.Map;

/**
 * Everything `mpdiag analyze` says about one process (or the merge of all): the shape of the JSON report
 * (docs/report-json.md) and what the text and HTML reports render.
 */
public record ProcessReport(
        String id,
        String label,
        List<String> sources,
        Jvm jvm,
        long startMillis,
        long endMillis,
        int chunks,
        Map<String, Long> events,
        Map<String, ProfileTotals> profiles,
        Map<String, List<TopFrames.Row>> hotMethods,
        List<TopFrames.Row> allocationClasses,
        List<TopFrames.Row> allocationSites,
        List<LockRows.Row> locks,
        Gc gc,
        ContextSwitches contextSwitches,
        Map<String, SeriesStats> series,
        List<JmcFinding> jmcFindings,
        String jmcError,
        AgentCost agentCost) {

    /** JVM identity. */
    public record Jvm(long pid, String name, String version, String jvmArguments, String javaArguments,
            long startMillis) {
        /** "OpenJDK 64-Bit Server VM 17.0.15+6" rather than the JVM's long version banner. */
        public String display() {
            String v = version == null ? "" : version;
            int open = v.indexOf('(');
            int close = v.indexOf(')', open + 1);
            String number = open >= 0 && close > open ? v.substring(open + 1, close) : v;
            return (name == null ? "" : name + " ") + number;
        }
    }

    /** Total weight and event count of one profile type. */
    public record ProfileTotals(String unit, long totalWeight, long events) {
    }

    /** GC figures; pauseShare is total pause over the recorded wall time. */
    public record Gc(long collections, long totalPauseNanos, long maxPauseNanos, double pauseShare,
            Map<String, long[]> byCollector, double heapAfterGcFirst, double heapAfterGcLast, double heapAfterGcMax) {
    }

    /**
     * Context switches: per process from mpagent's ProcessResources event when present (rates over the
     * recording), and the machine-wide rate JFR itself records.
     */
    public record ContextSwitches(double voluntaryPerSecond, double involuntaryPerSecond, boolean perProcess,
            double machineWidePerSecond) {
    }

    /**
     * What mpagent's and JFR's threads cost, from the mpdiag.AgentCost events in the recording: their CPU over the
     * process's CPU in the same intervals (null when the recording has none: not made by mpagent). Events written in
     * the application's own threads are not in it.
     */
    public record AgentCost(double cpuShare, long ownCpuNanos, long jfrCpuNanos, long processCpuNanos,
            double shippedPerSecond) {
    }

    /** A series boiled down: unit, points, first, last, min, max, mean. */
    public record SeriesStats(String unit, int points, double first, double last, double min, double max,
            double mean) {
    }
}
