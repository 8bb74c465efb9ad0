package dev.mpdiag.engine;

import java.util.Map;
import java.util.TreeMap;

/** Garbage collections of a process: how many, how long they paused, per collector. */
public final class GcSummary {
    private long count;
    private long totalPauseNanos;
    private long maxPauseNanos;
    private final Map<String, long[]> byCollector = new TreeMap<>();

    public void add(String collector, long pauseNanos, long longestPauseNanos) {
        count++;
        totalPauseNanos += pauseNanos;
        maxPauseNanos = Math.max(maxPauseNanos, longestPauseNanos);
        long[] c = byCollector.computeIfAbsent(collector == null ? "unknown" : collector, k -> new long[3]);
        c[0]++;
        c[1] += pauseNanos;
        c[2] = Math.max(c[2], longestPauseNanos);
    }

    void mergeFrom(GcSummary o) {
        count += o.count;
        totalPauseNanos += o.totalPauseNanos;
        maxPauseNanos = Math.max(maxPauseNanos, o.maxPauseNanos);
        for (Map.Entry<String, long[]> e : o.byCollector.entrySet()) {
            long[] c = byCollector.computeIfAbsent(e.getKey(), k -> new long[3]);
            c[0] += e.getValue()[0];
            c[1] += e.getValue()[1];
            c[2] = Math.max(c[2], e.getValue()[2]);
        }
    }

    /** Sets the totals as stored, for the codec; it fills byCollector itself. */
    void restoreTotals(long count, long totalPauseNanos, long maxPauseNanos) {
        this.count = count;
        this.totalPauseNanos = totalPauseNanos;
        this.maxPauseNanos = maxPauseNanos;
    }

    public long count() {
        return count;
    }

    public long totalPauseNanos() {
        return totalPauseNanos;
    }

    public long maxPauseNanos() {
        return maxPauseNanos;
    }

    /** collector name to {collections, total pause ns, longest pause ns}. */
    public Map<String, long[]> byCollector() {
        return byCollector;
    }
}
