package dev.mpdiag.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ranked frames of a profile: self weight (as the leaf) and total weight (anywhere on the stack). */
public final class TopFrames {
    /** One row; shares are of the profile's total weight, 0..1. */
    public record Row(String name, String kind, long self, long total, double selfShare, double totalShare) {
    }

    private TopFrames() {
    }

    /** Methods by self weight; synthetic class leaves are skipped so the method below them counts. */
    public static List<Row> methods(Summary s, ProfileType type, int limit) {
        Profile p = s.profileOrNull(type);
        if (p == null) {
            return List.of();
        }
        FrameTable ft = s.frames;
        Map<String, long[]> acc = new HashMap<>();
        Set<String> seen = new HashSet<>();
        s.forEachStack(type, (frames, w, count) -> {
            int leaf = 0;
            while (leaf < frames.length && isSynthetic(ft.kind(frames[leaf]))) {
                leaf++;
            }
            if (leaf < frames.length) {
                long[] a = acc.computeIfAbsent(ft.name(frames[leaf]), k -> new long[3]);
                a[0] += w;
                a[2] = ft.kind(frames[leaf]).ordinal();
            }
            seen.clear();
            for (int i = leaf; i < frames.length; i++) {
                String name = ft.name(frames[i]);
                // Recursion must not count one sample twice toward a method's total.
                if (seen.add(name)) {
                    long[] a = acc.computeIfAbsent(name, k -> new long[3]);
                    a[1] += w;
                    if (a[2] == 0) {
                        a[2] = ft.kind(frames[i]).ordinal();
                    }
                }
            }
        });
        return rank(acc, p.totalWeight(), limit, true);
    }

    /** Allocated classes (the synthetic leaf of alloc stacks) by bytes. */
    public static List<Row> allocatedClasses(Summary s, int limit) {
        return leaves(s, ProfileType.ALLOC, FrameKind.ALLOC_CLASS, limit, false);
    }

    /** Allocation sites: "Class allocated at method:line", by bytes. */
    public static List<Row> allocationSites(Summary s, int limit) {
        return leaves(s, ProfileType.ALLOC, FrameKind.ALLOC_CLASS, limit, true);
    }

    /** Contended classes (the synthetic leaf of lock and wait stacks) by blocked time. */
    public static List<Row> lockClasses(Summary s, ProfileType type, int limit) {
        return leaves(s, type, FrameKind.LOCK_CLASS, limit, false);
    }

    private static List<Row> leaves(Summary s, ProfileType type, FrameKind leafKind, int limit, boolean withSite) {
        Profile p = s.profileOrNull(type);
        if (p == null) {
            return List.of();
        }
        FrameTable ft = s.frames;
        Map<String, long[]> acc = new HashMap<>();
        s.forEachStack(type, (frames, w, count) -> {
            if (frames.length == 0 || ft.kind(frames[0]) != leafKind) {
                return;
            }
            String key = ft.name(frames[0]);
            if (withSite) {
                key += " at " + (frames.length > 1 ? ft.site(frames[1]) : "(no stack)");
            }
            long[] a = acc.computeIfAbsent(key, k -> new long[3]);
            a[0] += w;
            a[1] += w;
            a[2] = leafKind.ordinal();
        });
        return rank(acc, p.totalWeight(), limit, false);
    }

    private static boolean isSynthetic(FrameKind k) {
        return k == FrameKind.ALLOC_CLASS || k == FrameKind.LOCK_CLASS || k == FrameKind.OTHER;
    }

    private static List<Row> rank(Map<String, long[]> acc, long total, int limit, boolean bySelf) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : acc.entrySet()) {
            long[] a = e.getValue();
            rows.add(new Row(e.getKey(), FrameKind.of((int) a[2]).label, a[0], a[1],
                    total == 0 ? 0 : (double) a[0] / total, total == 0 ? 0 : (double) a[1] / total));
        }
        rows.sort((x, y) -> {
            int c = bySelf ? Long.compare(y.self, x.self) : Long.compare(y.total, x.total);
            if (c == 0) {
                c = Long.compare(y.total, x.total);
            }
            return c != 0 ? c : x.name.compareTo(y.name);
        });
        return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
    }
}
