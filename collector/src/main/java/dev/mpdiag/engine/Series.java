package dev.mpdiag.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * One time series of a process: points keyed by epoch milliseconds. A GAUGE holds sampled values
 * (heap after GC, threads); a SUM holds totals per one-second bucket (allocated bytes, blocked ns), so
 * merging sums buckets that meet and the result is the same as summarizing the union at once.
 */
public final class Series {
    public enum Kind { GAUGE, SUM }

    public final String name;
    public final String unit;
    public final Kind kind;
    private final TreeMap<Long, Double> points = new TreeMap<>();

    public Series(String name, String unit, Kind kind) {
        this.name = name;
        this.unit = unit;
        this.kind = kind;
    }

    public void add(long epochMillis, double value) {
        if (kind == Kind.SUM) {
            points.merge(epochMillis, value, Double::sum);
        } else {
            points.put(epochMillis, value);
        }
    }

    void mergeFrom(Series other) {
        for (Map.Entry<Long, Double> e : other.points.entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    public int size() {
        return points.size();
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** Points in time order; do not modify. */
    public TreeMap<Long, Double> points() {
        return points;
    }

    public double last() {
        return points.isEmpty() ? Double.NaN : points.lastEntry().getValue();
    }

    public double max() {
        double m = Double.NaN;
        for (double v : points.values()) {
            m = Double.isNaN(m) ? v : Math.max(m, v);
        }
        return m;
    }

    public double mean() {
        if (points.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : points.values()) {
            s += v;
        }
        return s / points.size();
    }
}
