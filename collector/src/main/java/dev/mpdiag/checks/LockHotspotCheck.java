package dev.mpdiag.checks;

import dev.mpdiag.engine.LockStats;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.LockRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lock hotspot: time threads spend blocked on one monitor (or java.util.concurrent lock), as the average
 * number of threads blocked on it and as a share of live thread time. Parking in an idle pool, a queue or on a
 * semaphore is waiting for work, not contention, so only monitors and locks count; waiting for a class to be
 * loaded or initialized is warm-up, counted apart.
 */
public final class LockHotspotCheck implements Check {
    static final double GC_NOTE_SHARE = 0.05;

    @Override
    public String id() {
        return "lock-hotspot";
    }

    @Override
    public String title() {
        return "Lock hotspot";
    }

    @Override
    public List<String> events() {
        return List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warnBlockedThreads", 0.5, "threads", "threads blocked on one lock on average that warns"),
                new Threshold("failBlockedThreads", 1.0, "threads", "threads blocked on one lock on average that fails"),
                new Threshold("minSeconds", 20, "s", "window needed to judge (start-up class loading blocks briefly)"));
    }

    /**
     * Monitors, and parks on a lock (ReentrantLock$NonfairSync, ReentrantReadWriteLock$FairSync, StampedLock, ...).
     * Parking on a Semaphore, a latch, a queue or in an idle pool is waiting for work or a signal, not for a
     * lock another thread holds.
     */
    static boolean isContention(LockStats l) {
        if (l.kind == LockStats.Kind.MONITOR) {
            return true;
        }
        return l.kind == LockStats.Kind.PARK && l.className != null && l.className.contains("Lock");
    }

    /**
     * Whether a wait is for a class to be loaded or initialized by another thread: HotSpot's class
     * initialization lock is an int[], and class loaders lock per class name inside loadClass. Each class is
     * loaded and initialized once, so these waits are warm-up (start-up, and the first requests when load
     * arrives), not a hotspot; they are reported apart.
     */
    static boolean isClassLoading(Summary s, LockStats l, int stackId) {
        if (l.kind == LockStats.Kind.MONITOR && "int[]".equals(l.className)) {
            return true;
        }
        if (stackId < 0) {
            return false;
        }
        for (int f : s.stacks.frames(stackId)) {
            String n = s.frames.name(f);
            if (n.equals("java.lang.ClassLoader.loadClass") || n.endsWith("ClassLoader.loadClassOrNull")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Summary s = p.summary();
        if (!s.eventCounts().containsKey("jdk.JavaMonitorEnter") && !s.eventCounts().containsKey("jdk.ThreadPark")
                && !s.locks().iterator().hasNext()) {
            return CheckResult.notApplicable(this, p.id(), "no jdk.JavaMonitorEnter or jdk.ThreadPark events recorded");
        }
        double minSeconds = limits.get(this, "minSeconds");
        if (p.seconds() < minSeconds) {
            return CheckResult.notApplicable(this, p.id(), String.format(Locale.ROOT, "%.0f s of data, %.0f s needed",
                    p.seconds(), minSeconds));
        }
        LockStats worst = null;
        long worstNanos = 0;
        long worstCount = 0;
        long classLoadingNanos = 0;
        for (LockStats l : s.locks()) {
            if (!isContention(l)) {
                continue;
            }
            long ns = 0;
            long n = 0;
            for (Map.Entry<Integer, long[]> e : l.byStack().entrySet()) {
                if (isClassLoading(s, l, e.getKey())) {
                    classLoadingNanos += e.getValue()[0];
                } else {
                    ns += e.getValue()[0];
                    n += e.getValue()[1];
                }
            }
            if (ns > worstNanos) {
                worst = l;
                worstNanos = ns;
                worstCount = n;
            }
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("classLoadingBlockedThreads", classLoadingNanos / 1e9 / p.seconds());
        ev.put("series", List.of("lock.blocked"));
        if (worst == null) {
            return new CheckResult(id(), title(), p.id(), Verdict.OK, 0, "no thread blocked on a lock past the recording threshold", ev);
        }
        double blockedThreads = worstNanos / 1e9 / p.seconds();
        Series threads = s.seriesOrNull("threads.active");
        double live = threads == null ? Double.NaN : threads.mean();
        double share = Double.isNaN(live) || live == 0 ? Double.NaN : blockedThreads / live;
        Verdict v = Grade.of(blockedThreads, limits.get(this, "warnBlockedThreads"), limits.get(this, "failBlockedThreads"));
        ev.put("monitorClass", worst.className);
        ev.put("kind", worst.kind.name().toLowerCase(Locale.ROOT));
        ev.put("blockedThreads", blockedThreads);
        ev.put("shareOfThreadTime", share);
        ev.put("blockedNanos", worstNanos);
        ev.put("count", worstCount);
        ev.put("maxMillis", worst.maxNanos() / 1e6);
        ev.put("stacks", topStacks(s, worst, 3));
        String site = ((List<?>) ev.get("stacks")).isEmpty() ? "?" : (String) ((Map<?, ?>) ((List<?>) ev.get("stacks")).get(0)).get("site");
        ev.put("site", site);
        // Threads also wait while a lock's holder is stopped by a GC pause: say so when pauses are a visible share.
        double gcShare = s.gc.totalPauseNanos() / 1e9 / p.seconds();
        ev.put("gcPauseShare", gcShare);
        String summary = String.format(Locale.ROOT, "%.2f threads blocked on average on %s (%d waits, longest %.0f ms), at %s%s",
                blockedThreads, worst.className, worstCount, worst.maxNanos() / 1e6, site,
                gcShare >= GC_NOTE_SHARE ? String.format(Locale.ROOT, " (GC pauses %.0f%% of the time: holders stopped by GC "
                        + "add to the waits; see gc-pressure)", gcShare * 100) : "");
        return new CheckResult(id(), title(), p.id(), v, Grade.score(blockedThreads, limits.get(this, "failBlockedThreads")),
                summary, ev);
    }

    private static List<Map<String, Object>> topStacks(Summary s, LockStats l, int n) {
        List<Map.Entry<Integer, long[]>> stacks = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : l.byStack().entrySet()) {
            if (!isClassLoading(s, l, e.getKey())) {
                stacks.add(e);
            }
        }
        stacks.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : stacks.subList(0, Math.min(n, stacks.size()))) {
            int[] frames = s.stacks.frames(e.getKey());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                names.add(s.frames.site(frames[i]));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", LockRows.blockingSite(s.frames, frames));
            m.put("blockedNanos", e.getValue()[0]);
            m.put("frames", names);
            out.add(m);
        }
        return out;
    }
}
