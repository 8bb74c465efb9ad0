package dev.mpdiag.report;

import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Methods whose share of a profile grew or shrank between two selections, each normalized by its own total. */
public final class DiffTable {
    /** Shares are 0..1 of each side's total; deltas are after minus before. */
    public record Row(String name, double beforeSelf, double afterSelf, double beforeTotal, double afterTotal) {
        public double deltaSelf() {
            return afterSelf - beforeSelf;
        }

        public double deltaTotal() {
            return afterTotal - beforeTotal;
        }

        /** Rank by the larger of the two changes, so both leaf hot spots and callers that grew show. */
        double magnitude() {
            return Math.max(Math.abs(deltaSelf()), Math.abs(deltaTotal()));
        }
    }

    private DiffTable() {
    }

    public static List<Row> of(Summary before, Summary after, ProfileType type, int limit) {
        Map<String, double[]> m = new HashMap<>();
        for (TopFrames.Row r : TopFrames.methods(before, type, Integer.MAX_VALUE)) {
            double[] a = m.computeIfAbsent(r.name(), k -> new double[4]);
            a[0] = r.selfShare();
            a[2] = r.totalShare();
        }
        for (TopFrames.Row r : TopFrames.methods(after, type, Integer.MAX_VALUE)) {
            double[] a = m.computeIfAbsent(r.name(), k -> new double[4]);
            a[1] = r.selfShare();
            a[3] = r.totalShare();
        }
        if (type == ProfileType.ALLOC || type == ProfileType.LOCK || type == ProfileType.WAIT) {
            // Allocated and contended classes are the synthetic leaves; they are what grew, so list them too.
            addLeaves(m, before, type, 0);
            addLeaves(m, after, type, 1);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, double[]> e : m.entrySet()) {
            double[] a = e.getValue();
            rows.add(new Row(e.getKey(), a[0], a[1], a[2], a[3]));
        }
        rows.sort((x, y) -> Double.compare(y.magnitude(), x.magnitude()));
        return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
    }

    private static void addLeaves(Map<String, double[]> m, Summary s, ProfileType type, int side) {
        List<TopFrames.Row> leaves = type == ProfileType.ALLOC ? TopFrames.allocatedClasses(s, Integer.MAX_VALUE)
                : TopFrames.lockClasses(s, type, Integer.MAX_VALUE);
        for (TopFrames.Row r : leaves) {
            double[] a = m.computeIfAbsent(r.name(), k -> new double[4]);
            a[side] = r.totalShare();
            a[2 + side] = r.totalShare();
        }
    }
}
