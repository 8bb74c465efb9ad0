package dev.mpdiag.checks;

import dev.mpdiag.engine.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Least-squares line through a series' points after a warm-up: slope per second, fit (R²), and the rise
 * from the fitted start to the fitted end, so a check can ask for a steady climb, not one jump.
 */
public record Trend(int points, double slopePerSecond, double r2, double first, double last, double rise,
        double seconds) {

    /** Fits points whose time is at or after warmUpEnd (epoch ms); null with fewer than minPoints. */
    public static Trend of(NavigableMap<Long, Double> series, long warmUpEnd, int minPoints) {
        List<double[]> xy = new ArrayList<>();
        for (Map.Entry<Long, Double> e : series.tailMap(warmUpEnd, true).entrySet()) {
            if (!Double.isNaN(e.getValue())) {
                xy.add(new double[] {e.getKey() / 1000.0, e.getValue()});
            }
        }
        int n = xy.size();
        if (n < Math.max(2, minPoints)) {
            return null;
        }
        double x0 = xy.get(0)[0];
        double sx = 0;
        double sy = 0;
        for (double[] p : xy) {
            sx += p[0] - x0;
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] p : xy) {
            double dx = p[0] - x0 - mx;
            double dy = p[1] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        double r2 = sxx == 0 || syy == 0 ? 0 : (sxy * sxy) / (sxx * syy);
        double span = xy.get(n - 1)[0] - x0;
        return new Trend(n, slope, r2, xy.get(0)[1], xy.get(n - 1)[1], slope * span, span);
    }

    /** The warm-up end for a window: its first fraction, at least minMillis after its start. */
    public static long warmUpEnd(ProcessData p, double fraction, long minMillis) {
        long span = p.toMillis() - p.fromMillis();
        return p.fromMillis() + Math.min(span / 2, Math.max(minMillis, (long) (span * fraction)));
    }

    /**
     * The warm-up the checks share: the first fifth of the window (at least 10 s, at most half of it), or, when
     * later, until the JVM has loaded 98% of the classes it holds at the window's end (at most three quarters
     * of the window). Start-up, and the first requests when load arrives (class loading and initialization,
     * pools and connections opening), are not what a check judges; a JVM that starts slowly on a busy machine
     * loads classes for longer.
     */
    public static long warmUpEnd(ProcessData p) {
        long base = warmUpEnd(p, WARM_UP_FRACTION, WARM_UP_MIN_MILLIS);
        long cap = p.fromMillis() + (p.toMillis() - p.fromMillis()) * 3 / 4;
        return Math.max(base, Math.min(classesSettled(p), cap));
    }

    static final double WARM_UP_FRACTION = 0.2;
    static final long WARM_UP_MIN_MILLIS = 10_000;
    static final double CLASSES_SETTLED_SHARE = 0.98;

    /** When loaded classes first reached 98% of the window's most (the window's start without class counts). */
    static long classesSettled(ProcessData p) {
        Series classes = p.summary().seriesOrNull("classes.loaded");
        if (classes == null || classes.isEmpty()) {
            return p.fromMillis();
        }
        double max = classes.max();
        for (Map.Entry<Long, Double> e : classes.points().entrySet()) {
            if (e.getValue() >= CLASSES_SETTLED_SHARE * max) {
                return e.getKey();
            }
        }
        return p.fromMillis();
    }

    /**
     * The fit over the later half (by time) of the points this trend was fitted on, or null with fewer than
     * minPoints there. A leak keeps climbing in the later half; a step up early in the window (a pool filling
     * when load arrives) does not, though a line through the whole window climbs in both cases.
     */
    public static Trend laterHalf(NavigableMap<Long, Double> series, long warmUpEnd, int minPoints) {
        NavigableMap<Long, Double> judged = series.tailMap(warmUpEnd, true);
        if (judged.isEmpty()) {
            return null;
        }
        long mid = judged.firstKey() + (judged.lastKey() - judged.firstKey()) / 2;
        return of(series, mid, minPoints);
    }

    /**
     * The least slope a steady climb shows: the smaller of the whole fit's and the later half's (the whole
     * fit's when the later half has too few points to say).
     */
    public double sustainedSlope(Trend later) {
        return later == null ? slopePerSecond : Math.min(slopePerSecond, later.slopePerSecond);
    }

    /**
     * The floor of a series: at each point, the least value at or after it (what it comes back down to
     * later). Heap after GC includes garbage promoted to the old generation until an old collection takes it
     * back; the floor keeps the climb of what survives and drops such sawtooth teeth.
     */
    public static NavigableMap<Long, Double> floor(NavigableMap<Long, Double> series) {
        TreeMap<Long, Double> out = new TreeMap<>();
        double min = Double.POSITIVE_INFINITY;
        for (Map.Entry<Long, Double> e : series.descendingMap().entrySet()) {
            if (!Double.isNaN(e.getValue())) {
                min = Math.min(min, e.getValue());
                out.put(e.getKey(), min);
            }
        }
        return out;
    }
}
