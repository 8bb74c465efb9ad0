package dev.mpdiag.checks;

import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;

/** Small statistics the checks share. */
final class Stats {
    private Stats() {
    }

    static double mean(Collection<Double> values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sums a per-second SUM series into windows of windowMillis (empty seconds count as zero). */
    static double[] windows(NavigableMap<Long, Double> perSecond, long from, long to, long windowMillis) {
        int n = (int) Math.max(0, (to - from) / windowMillis);
        double[] out = new double[n];
        for (Map.Entry<Long, Double> e : perSecond.subMap(from, true, from + n * windowMillis, false).entrySet()) {
            out[(int) ((e.getKey() - from) / windowMillis)] += e.getValue();
        }
        return out;
    }

    /** The values at or above idleShare of the median: the windows with load in them, in order. */
    static double[] busy(double[] v, double idleShare) {
        if (v.length == 0) {
            return v;
        }
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        int n = 0;
        double[] out = new double[v.length];
        for (double x : v) {
            if (x >= idleShare * median) {
                out[n++] = x;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Coefficient of variation: standard deviation over mean. */
    static double cv(double[] v) {
        double m = mean(v);
        if (v.length < 2 || m == 0 || Double.isNaN(m)) {
            return Double.NaN;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1)) / m;
    }

    /**
     * Short-term variation: the standard deviation estimated from successive differences (von Neumann),
     * sqrt(sum((x[i+1] - x[i])²) / (2 (n - 1))), over the mean. For values that vary at random it estimates
     * the same as the cv; a slow drift (throughput rising while the JIT compiles, load ramping) adds little to
     * it, while bursts from one window to the next count in full.
     */
    static double successiveCv(double[] v) {
        double m = mean(v);
        if (v.length < 2 || m == 0 || Double.isNaN(m)) {
            return Double.NaN;
        }
        double ss = 0;
        for (int i = 1; i < v.length; i++) {
            ss += (v[i] - v[i - 1]) * (v[i] - v[i - 1]);
        }
        return Math.sqrt(ss / (2.0 * (v.length - 1))) / m;
    }

    /** Sum of a SUM series over the window, per second of the window. */
    static double perSecond(NavigableMap<Long, Double> perSecond, ProcessData p) {
        double s = 0;
        for (double v : perSecond.subMap(p.fromMillis(), true, p.toMillis(), true).values()) {
            s += v;
        }
        return s / p.seconds();
    }

    static double clampScore(double v) {
        return Math.max(0, Math.min(100, v));
    }
}
