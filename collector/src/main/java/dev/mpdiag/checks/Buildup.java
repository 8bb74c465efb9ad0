package dev.mpdiag.checks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * What a gauge (live threads, open descriptors, the heap's live set) built up over a window and did not give
 * back: its early baseline, its peak, where it stands now, and the shape between them. A leak that stopped
 * because it hit a limit (a cap, ulimit -n, the heap) no longer climbs, yet everything it took is still held;
 * judging the level against the baseline sees it whatever the machine's speed, which only decides how soon
 * the climb ended.
 *
 * <p>The baseline is the least value of the window's first tenth (at least its first point, at most its
 * first {@value #BASELINE_MAX_MILLIS} ms): a level reached when load arrived is growth too, and is graded by
 * its size. Now is the least value of the window's last tenth (at least its last point; never one of the
 * baseline's): what is held, not a passing peak.
 */
record Buildup(Shape shape, double baseline, double peak, double recent, long fromMillis, long toMillis) {

    /** The shape of a gauge over its window, as its verdict names it. */
    enum Shape {
        FLAT("flat"), CLIMBING("climbing"), GREW_AND_HELD("grew and held"), GREW_AND_CAME_BACK("grew and came back");

        final String words;

        Shape(String words) {
            this.words = words;
        }

        String id() {
            return words.replace(' ', '-');
        }
    }

    static final long BASELINE_MAX_MILLIS = 10_000;
    static final int RECENT_MIN_POINTS = 1;
    /** Held means at least this share of the rise to the peak is still there now. */
    static final double HELD_SHARE = 0.5;
    /**
     * The build-up of points when no climb could be judged (too few points or too little time past warm-up, as
     * with a heap that had four old cycles in a short run): it still climbs when its last point is its peak and
     * its later half rose by more than minRise. A level that grew and held rises there by its noise only; a
     * step when the leak began (100 MB at once, then 2 MB a second) does not hide the climb after it.
     */
    static Buildup of(NavigableMap<Long, Double> points, int minPoints, double minRise) {
        Buildup b = of(points, minPoints, false, minRise);
        if (b == null || b.shape != Shape.GREW_AND_HELD) {
            return b;
        }
        long middle = b.fromMillis + (b.toMillis - b.fromMillis) / 2;
        Map.Entry<Long, Double> before = null;
        double last = Double.NaN;
        for (Map.Entry<Long, Double> e : points.entrySet()) {
            if (Double.isNaN(e.getValue())) {
                continue;
            }
            if (e.getKey() <= middle) {
                before = e;
            }
            last = e.getValue();
        }
        double laterRise = before == null ? 0 : last - before.getValue();
        boolean stillClimbing = last >= b.peak && laterRise > minRise;
        return stillClimbing ? new Buildup(Shape.CLIMBING, b.baseline, b.peak, b.recent, b.fromMillis, b.toMillis) : b;
    }

    /**
     * The build-up of points; null with fewer than {@code minPoints}. {@code climbing} says whether the series
     * still climbs steadily (the caller's {@link Climb} verdict), {@code minRise} how much growth is more than
     * noise.
     */
    static Buildup of(NavigableMap<Long, Double> points, int minPoints, boolean climbing, double minRise) {
        int n = 0;
        for (double v : points.values()) {
            n += Double.isNaN(v) ? 0 : 1;
        }
        if (n < Math.max(2, minPoints)) {
            return null;
        }
        long first = points.firstKey();
        long last = points.lastKey();
        long tenth = (last - first) / 10;
        long baselineEnd = first + Math.min(BASELINE_MAX_MILLIS, tenth);
        long recentFrom = last - tenth;
        double baseline = Double.POSITIVE_INFINITY;
        double peak = Double.NEGATIVE_INFINITY;
        double recent = Double.POSITIVE_INFINITY;
        int fromEnd = 0;
        for (Map.Entry<Long, Double> e : points.descendingMap().entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                continue;
            }
            peak = Math.max(peak, v);
            if (e.getKey() <= baselineEnd) {
                baseline = Math.min(baseline, v);
            }
            if ((e.getKey() >= recentFrom && e.getKey() > baselineEnd) || fromEnd < RECENT_MIN_POINTS) {
                recent = Math.min(recent, v);
            }
            fromEnd++;
        }
        Shape shape;
        if (climbing) {
            shape = Shape.CLIMBING;
        } else if (peak - baseline < minRise) {
            shape = Shape.FLAT;
        } else if (recent - baseline >= HELD_SHARE * (peak - baseline)) {
            shape = Shape.GREW_AND_HELD;
        } else {
            shape = Shape.GREW_AND_CAME_BACK;
        }
        return new Buildup(shape, baseline, peak, recent, first, last);
    }

    /** What is held now over the baseline (negative when below it). */
    double growth() {
        return recent - baseline;
    }

    /** Now over the baseline; infinite from a baseline of 0. */
    double ratio() {
        return baseline <= 0 ? (recent > 0 ? Double.POSITIVE_INFINITY : 1) : recent / baseline;
    }

    /**
     * The verdict on what is held: warn from warnGrowth over the baseline, fail from failGrowth, each only where
     * now is at least minRatio times the baseline (a service that runs 1,000 threads may add 300); or by how
     * close now is to a limit (0 or less: none known). A gauge that came back, or stayed flat, holds nothing.
     */
    Verdict held(double warnGrowth, double failGrowth, double minRatio, double limit, double warnLimitShare,
            double failLimitShare) {
        if (shape == Shape.FLAT || shape == Shape.GREW_AND_CAME_BACK) {
            return Verdict.OK;
        }
        Verdict byGrowth = ratio() < minRatio ? Verdict.OK : Grade.of(growth(), warnGrowth, failGrowth);
        Verdict byLimit = limit > 0 ? Grade.of(recent / limit, warnLimitShare, failLimitShare) : Verdict.OK;
        return byGrowth.compareTo(byLimit) >= 0 ? byGrowth : byLimit;
    }

    /** Evidence fields: shape, baseline, peak, now, growth and ratio, scaled (e.g. bytes to MB) by scale. */
    Map<String, Object> evidence(double scale) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("shape", shape.id());
        ev.put("baseline", baseline * scale);
        ev.put("peak", peak * scale);
        ev.put("now", recent * scale);
        ev.put("growth", growth() * scale);
        ev.put("growthRatio", Double.isInfinite(ratio()) ? null : ratio());
        ev.put("judgedFromMillis", fromMillis);
        ev.put("judgedToMillis", toMillis);
        return ev;
    }
}
