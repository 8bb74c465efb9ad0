package dev.mpdiag.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

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
}
