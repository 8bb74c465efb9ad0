package dev.mpdiag.engine;

import java.util.Arrays;

/**
 * Stop-the-world spans of a process, for drawing over the heatmap so a stall that is a GC pause or a
 * safepoint can be told from a lock convoy. GC pauses come from jdk.GarbageCollection (placed at the
 * collection's start, as long as its pauses summed); safepoints from jdk.SafepointBegin where recorded.
 */
public final class Pauses {
    public enum Kind { GC, SAFEPOINT }

    private static final Kind[] KINDS = Kind.values();
    /** A recording with safepoint events at threshold 0 has thousands per second; the overlay needs the long ones. */
    static final int MAX = 100_000;

    private byte[] kinds = new byte[8];
    private long[] starts = new long[8];
    private long[] durations = new long[8];
    private int size;
    private long dropped;

    public void add(Kind kind, long startMillis, long durationNanos) {
        if (size == MAX) {
            dropped++;
            return;
        }
        if (size == kinds.length) {
            int n = size * 2;
            kinds = Arrays.copyOf(kinds, n);
            starts = Arrays.copyOf(starts, n);
            durations = Arrays.copyOf(durations, n);
        }
        kinds[size] = (byte) kind.ordinal();
        starts[size] = startMillis;
        durations[size] = durationNanos;
        size++;
    }

    public int size() {
        return size;
    }

    public Kind kind(int i) {
        return KINDS[kinds[i]];
    }

    public long startMillis(int i) {
        return starts[i];
    }

    public long durationNanos(int i) {
        return durations[i];
    }

    /** Pauses not kept because the bound was reached. */
    public long dropped() {
        return dropped;
    }

    void addDropped(long n) {
        dropped += n;
    }

    void mergeFrom(Pauses other) {
        for (int i = 0; i < other.size; i++) {
            add(KINDS[other.kinds[i]], other.starts[i], other.durations[i]);
        }
        dropped += other.dropped;
    }
}
