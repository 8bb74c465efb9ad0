package dev.mpdiag.engine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Java threads of one name pattern (the name with each run of digits as "#", so "pool-3-thread-17" is
 * "pool-#-thread-#"): how many started and ended, and the stacks that started them (jdk.ThreadStart,
 * jdk.ThreadEnd). A pattern whose starts keep outrunning its ends is piling up.
 */
public final class ThreadStats {
    /** Site id for starts recorded without a stack trace. */
    public static final int NO_STACK = -1;

    public final String pattern;
    private long started;
    private long ended;
    // Stack id to {starts, epoch nanos of the first start}; the first start breaks ties between sites.
    private final TreeMap<Integer, long[]> startSites = new TreeMap<>();

    public ThreadStats(String pattern) {
        this.pattern = pattern;
    }

    /** The name pattern of a thread name: every run of digits replaced by one "#". */
    public static String pattern(String threadName) {
        StringBuilder b = new StringBuilder(threadName.length());
        boolean inDigits = false;
        for (int i = 0; i < threadName.length(); i++) {
            char c = threadName.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit) {
                b.append(c);
            } else if (!inDigits) {
                b.append('#');
            }
            inDigits = digit;
        }
        return b.toString();
    }

    /** Adds n starts at a site (a stack id, or NO_STACK), the first of them at firstStartNanos. */
    public void addStarts(int stackId, long n, long firstStartNanos) {
        started += n;
        long[] site = startSites.get(stackId);
        if (site == null) {
            startSites.put(stackId, new long[] {n, firstStartNanos});
        } else {
            site[0] += n;
            site[1] = Math.min(site[1], firstStartNanos);
        }
    }

    public void addEnds(long n) {
        ended += n;
    }

    public long started() {
        return started;
    }

    public long ended() {
        return ended;
    }

    /** Starts minus ends within the summarized time; threads started before it and still running are not seen. */
    public long growth() {
        return started - ended;
    }

    /** The stack id that started the most threads (ties: the one that started first), or NO_STACK. */
    public int topStartStack() {
        int best = NO_STACK;
        long[] bestSite = null;
        for (Map.Entry<Integer, long[]> e : startSites.entrySet()) {
            long[] s = e.getValue();
            if (e.getKey() == NO_STACK) {
                continue;
            }
            if (bestSite == null || s[0] > bestSite[0] || s[0] == bestSite[0] && s[1] < bestSite[1]) {
                best = e.getKey();
                bestSite = s;
            }
        }
        return best;
    }

    /** Stack id (or NO_STACK) to {starts, epoch nanos of the first start}, in stack id order. Do not modify. */
    public Map<Integer, long[]> startSites() {
        return Collections.unmodifiableMap(startSites);
    }
}
