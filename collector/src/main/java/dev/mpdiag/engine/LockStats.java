package dev.mpdiag.engine;

import java.util.HashMap;
import java.util.Map;

/** Contention on one monitor (or parked-on) class: blocked time, count, and the stacks that blocked. */
public final class LockStats {
    /** How threads waited: entering a monitor, parked (java.util.concurrent), or in Object.wait. */
    public enum Kind { MONITOR, PARK, WAIT }

    public final Kind kind;
    public final String className;
    private long blockedNanos;
    private long count;
    private long maxNanos;
    private final Map<Integer, long[]> byStack = new HashMap<>();

    public LockStats(Kind kind, String className) {
        this.kind = kind;
        this.className = className;
    }

    /** Adds events that blocked totalNanos in count events at one stack; maxNanos is the longest of them. */
    public void add(int stackId, long totalNanos, long events, long maxNanos) {
        blockedNanos += totalNanos;
        count += events;
        this.maxNanos = Math.max(this.maxNanos, maxNanos);
        long[] s = byStack.computeIfAbsent(stackId, k -> new long[2]);
        s[0] += totalNanos;
        s[1] += events;
    }

    /** Sets the totals as stored; the codec restores them after the per-stack figures, which add to them. */
    void restoreTotals(long blockedNanos, long count, long maxNanos) {
        this.blockedNanos = blockedNanos;
        this.count = count;
        this.maxNanos = maxNanos;
    }

    public long blockedNanos() {
        return blockedNanos;
    }

    public long count() {
        return count;
    }

    public long maxNanos() {
        return maxNanos;
    }

    /** stack id to {blocked ns, events}. */
    public Map<Integer, long[]> byStack() {
        return byStack;
    }
}
