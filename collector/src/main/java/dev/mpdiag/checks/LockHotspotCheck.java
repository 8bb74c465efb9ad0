package dev.mpdiag.checks;

import dev.mpdiag.engine.LockStats;
import dev.mpdiag.engine.Series;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.report.LockRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lock hotspot: time threads spend blocked on one monitor (or java.util.concurrent lock), as the average
 * number of threads blocked on it and as a share of live thread time. Parking in an idle pool or queue is
 * waiting for work, not contention, so only monitors and lock synchronizers count.
 */
public final class LockHotspotCheck implements Check {
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
        return List.of(new Threshold("warnBlockedThreads", 0.25, "threads", "threads blocked on one lock on average that warns"),
                new Threshold("failBlockedThreads", 1.0, "threads", "threads blocked on one lock on average that fails"));
    }

    /** Monitors, and parks on a lock's synchronizer (ReentrantLock$NonfairSync, ...) rather than a queue or pool. */
    static boolean isContention(LockStats l) {
        if (l.kind == LockStats.Kind.MONITOR) {
            return true;
        }
        return l.kind == LockStats.Kind.PARK && l.className != null
                && (l.className.endsWith("Sync") || l.className.endsWith("Lock"));
    }

    @Override
    public CheckResult evaluate(List<ProcessData> subject, Limits limits) {
        ProcessData p = subject.get(0);
        Summary s = p.summary();
        if (!s.eventCounts().containsKey("jdk.JavaMonitorEnter") && !s.eventCounts().containsKey("jdk.ThreadPark")
                && !s.locks().iterator().hasNext()) {
            return CheckResult.notApplicable(this, p.id(), "no jdk.JavaMonitorEnter or jdk.ThreadPark events recorded");
        }
        LockStats worst = null;
        for (LockStats l : s.locks()) {
            if (isContention(l) && (worst == null || l.blockedNanos() > worst.blockedNanos())) {
                worst = l;
            }
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("series", List.of("lock.blocked"));
        if (worst == null) {
            return new CheckResult(id(), title(), p.id(), Verdict.OK, 0, "no thread blocked on a lock past the recording threshold", ev);
        }
        double blockedThreads = worst.blockedNanos() / 1e9 / p.seconds();
        Series threads = s.seriesOrNull("threads.active");
        double live = threads == null ? Double.NaN : threads.mean();
        double share = Double.isNaN(live) || live == 0 ? Double.NaN : blockedThreads / live;
        Verdict v = Grade.of(blockedThreads, limits.get(this, "warnBlockedThreads"), limits.get(this, "failBlockedThreads"));
        ev.put("monitorClass", worst.className);
        ev.put("kind", worst.kind.name().toLowerCase(Locale.ROOT));
        ev.put("blockedThreads", blockedThreads);
        ev.put("shareOfThreadTime", share);
        ev.put("blockedNanos", worst.blockedNanos());
        ev.put("count", worst.count());
        ev.put("maxMillis", worst.maxNanos() / 1e6);
        ev.put("stacks", topStacks(s, worst, 3));
        String site = ((List<?>) ev.get("stacks")).isEmpty() ? "?" : (String) ((Map<?, ?>) ((List<?>) ev.get("stacks")).get(0)).get("site");
        ev.put("site", site);
        String summary = String.format(Locale.ROOT, "%.2f threads blocked on average on %s (%d waits, longest %.0f ms), at %s",
                blockedThreads, worst.className, worst.count(), worst.maxNanos() / 1e6, site);
        return new CheckResult(id(), title(), p.id(), v, Grade.score(blockedThreads, limits.get(this, "failBlockedThreads")),
                summary, ev);
    }

    private static List<Map<String, Object>> topStacks(Summary s, LockStats l, int n) {
        List<Map.Entry<Integer, long[]>> stacks = new ArrayList<>(l.byStack().entrySet());
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
