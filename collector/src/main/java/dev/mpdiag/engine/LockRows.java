package dev.mpdiag.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Contended monitors ranked by blocked time, each with the site that blocked most. */
public final class LockRows {
    /** One monitor (or parked-on) class; the site is the first frame outside the JDK's locking code. */
    public record Row(String kind, String monitorClass, long blockedNanos, long count, long maxNanos,
            String topSite, long topSiteNanos) {
    }

    private LockRows() {
    }

    public static List<Row> of(Summary s, boolean includeWait, int limit) {
        List<Row> rows = new ArrayList<>();
        for (LockStats l : s.locks()) {
            if (l.kind == LockStats.Kind.WAIT && !includeWait) {
                continue;
            }
            int bestStack = -1;
            long best = -1;
            for (Map.Entry<Integer, long[]> e : l.byStack().entrySet()) {
                if (e.getValue()[0] > best) {
                    best = e.getValue()[0];
                    bestStack = e.getKey();
                }
            }
            String site = bestStack < 0 ? "(no stack)" : blockingSite(s.frames, s.stacks.frames(bestStack));
            rows.add(new Row(l.kind.name().toLowerCase(), l.className, l.blockedNanos(), l.count(), l.maxNanos(),
                    site, Math.max(best, 0)));
        }
        rows.sort((a, b) -> Long.compare(b.blockedNanos, a.blockedNanos));
        return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
    }

    /**
     * The blocking site: the top frame that is not the JDK's own lock machinery (LockSupport, AQS, Unsafe),
     * which would otherwise name every parked lock the same.
     */
    public static String blockingSite(FrameTable ft, int[] frames) {
        for (int f : frames) {
            String n = ft.name(f);
            if (!isLockMachinery(n)) {
                return ft.site(f);
            }
        }
        return frames.length == 0 ? "(no stack)" : ft.site(frames[0]);
    }

    private static boolean isLockMachinery(String n) {
        return n.startsWith("java.util.concurrent.locks.") || n.startsWith("jdk.internal.misc.Unsafe")
                || n.startsWith("sun.misc.Unsafe") || n.startsWith("java.lang.Object.wait")
                || n.startsWith("java.util.concurrent.SynchronousQueue") || n.startsWith("java.util.concurrent.ForkJoinPool.")
                || n.startsWith("java.util.concurrent.LinkedTransferQueue");
    }
}
