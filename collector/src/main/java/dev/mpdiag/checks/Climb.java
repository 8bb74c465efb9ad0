package dev.mpdiag.checks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A series' climb past warm-up, as the leak checks (heap, threads, descriptors) judge it: the least-squares
 * fit over the judged points and over their later half. A leak climbs in both; a step when load arrives, or
 * a leak that stopped, does not climb in the later half.
 */
record Climb(Trend whole, Trend later) {

    /** Null when fewer than minPoints points lie past warm-up. */
    static Climb of(NavigableMap<Long, Double> points, long warmUpEnd, int minPoints) {
        Trend whole = Trend.of(points, warmUpEnd, minPoints);
        if (whole == null) {
            return null;
        }
        return new Climb(whole, Trend.laterHalf(points, warmUpEnd, Math.max(2, (minPoints + 1) / 2)));
    }

    /** The slope per second the verdict is graded on: the smaller of the whole fit's and the later half's. */
    double sustainedPerSecond() {
        return whole.sustainedSlope(later);
    }

    /**
     * The verdict: graded on the sustained slope (per minute times perMinute), then OK unless the climb is
     * straight enough (fit) and big enough (rise) to be more than noise.
     */
    Verdict verdict(double unitsPerSecondToValue, double warn, double fail, double minFit, double minRise) {
        Verdict v = Grade.of(sustainedPerSecond() * unitsPerSecondToValue, warn, fail);
        return whole.r2() < minFit || whole.rise() < minRise ? Verdict.OK : v;
    }

    /** Evidence fields: the whole fit's and the later half's slopes (scaled), fit, span. */
    Map<String, Object> evidence(String name, double scale) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put(name, whole.slopePerSecond() * scale);
        ev.put("laterHalf" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                later == null ? null : later.slopePerSecond() * scale);
        ev.put("fit", whole.r2());
        ev.put("judgedSeconds", whole.seconds());
        return ev;
    }
}
