package dev.mpdiag.checks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * How the leak checks (threads, descriptors, heap) judge one gauge: a steady climb past warm-up ({@link Climb},
 * graded by its rate) and what is held over the early baseline ({@link Buildup}, graded by its size against the
 * baseline and a limit). The verdict is the worse of the two, so a leak is seen while it climbs and after it
 * stopped; the climb needs time past warm-up, the held level does not, so a short JVM still gets a verdict.
 */
record LeakJudgement(Buildup buildup, Climb climb, Verdict climbVerdict, Verdict heldVerdict) {

    /** The limits of one check, read from its thresholds. */
    record Bounds(double warnPerMinute, double failPerMinute, double minFit, double minRise, double minSeconds,
            double warnGrowth, double failGrowth, double minRatio) {

        /** A count check's bounds from its thresholds of the shared names (warnPerMinute ... warnHeld, failHeld). */
        static Bounds of(Check c, Limits l) {
            return new Bounds(l.get(c, "warnPerMinute"), l.get(c, "failPerMinute"), l.get(c, "minFit"),
                    l.get(c, "minRise"), l.get(c, "minSeconds"), l.get(c, "warnHeld"), l.get(c, "failHeld"),
                    l.get(c, "minRatio"));
        }
    }

    /**
     * Judges points: the climb on those past warm, scaled per second to the rate's unit by perSecondToRate (60
     * for per minute), the held level on all of them against limit (0: none known).
     */
    static LeakJudgement of(NavigableMap<Long, Double> points, long warm, int minPoints, Bounds l, double perSecondToRate,
            double limit, double warnLimitShare, double failLimitShare) {
        Climb c = Climb.of(points, warm, minPoints);
        boolean longEnough = c != null && c.whole().seconds() >= l.minSeconds();
        Verdict climbVerdict = longEnough
                ? c.verdict(perSecondToRate, l.warnPerMinute(), l.failPerMinute(), l.minFit(), l.minRise()) : Verdict.NOT_APPLICABLE;
        // What is held needs only a baseline and one later point (one old collection is enough for the heap).
        // A judged climb names the shape; where none could be judged, the points' later half does.
        Buildup b = longEnough ? Buildup.of(points, 2, climbVerdict.compareTo(Verdict.WARN) >= 0, l.minRise())
                : Buildup.of(points, 2, l.minRise());
        if (b == null) {
            return null;
        }
        Verdict held = b.held(l.warnGrowth(), l.failGrowth(), l.minRatio(), limit, warnLimitShare, failLimitShare);
        return new LeakJudgement(b, longEnough ? c : null, climbVerdict, held);
    }

    Verdict verdict() {
        Verdict v = climbVerdict.compareTo(heldVerdict) >= 0 ? climbVerdict : heldVerdict;
        return v == Verdict.NOT_APPLICABLE ? Verdict.OK : v;
    }

    /** The sustained climb per second, 0 when the climb was not judged. */
    double sustainedPerSecond() {
        return climb == null ? 0 : climb.sustainedPerSecond();
    }

    /**
     * How sure the verdict is, and why: high for a straight climb (fit 0.9 or more) or a held level at least
     * twice the warn size; medium otherwise; low for an OK judged only on a short window.
     */
    String confidence() {
        Verdict v = verdict();
        if (v == Verdict.OK) {
            return climb == null ? "low" : "high";
        }
        if (climbVerdict.compareTo(Verdict.WARN) >= 0 && climb.whole().r2() >= 0.9) {
            return "high";
        }
        return heldVerdict == Verdict.FAIL ? "high" : "medium";
    }

    /** Why the confidence is what it is, in words. */
    String why(String unit, double scale) {
        String held = String.format(Locale.ROOT, "%s: %s -> %s %s (peak %s)", buildup.shape().words,
                count(buildup.baseline() * scale), count(buildup.recent() * scale), unit,
                count(buildup.peak() * scale));
        String rate = climb == null ? "climb not judged (too little time past warm-up)"
                : String.format(Locale.ROOT, "climb fit %.2f over %.0f s past warm-up", climb.whole().r2(), climb.whole().seconds());
        return held + "; " + rate;
    }

    /** A count with thousands separators ("1,648"); one decimal below 10 (megabytes of a small heap). */
    static String count(double v) {
        return Math.abs(v) < 10 && v != Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** Evidence: the build-up's fields, the climb's, both verdicts and the confidence. */
    Map<String, Object> evidence(String rateName, double perSecondToRate, double scale) {
        Map<String, Object> ev = new LinkedHashMap<>(buildup.evidence(scale));
        ev.put(rateName, sustainedPerSecond() * perSecondToRate);
        if (climb != null) {
            ev.putAll(climb.evidence("whole" + Character.toUpperCase(rateName.charAt(0)) + rateName.substring(1),
                    perSecondToRate));
        } else {
            ev.put("fit", null);
        }
        ev.put("climbVerdict", climbVerdict.id());
        ev.put("heldVerdict", heldVerdict.id());
        ev.put("confidence", confidence());
        return ev;
    }
}
