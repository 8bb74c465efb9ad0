package dev.mpdiag.collections;

import java.util.Arrays;

/**
 * Open-addressing map from a pair of long keys to two long accumulators (weight and count).
 * The hot path of profile aggregation: one slot per distinct (stack, extra) pair per chunk, no boxing.
 */
public final class LongLongMap {
    private long[] keysA;
    private long[] keysB;
    private long[] weights;
    private long[] counts;
    // A separate occupancy array because every key value, 0 included, can occur in JFR data.
    private boolean[] used;
    private int size;

    public LongLongMap() {
        this(256);
    }

    public LongLongMap(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    private void allocate(int cap) {
        keysA = new long[cap];
        keysB = new long[cap];
        weights = new long[cap];
        counts = new long[cap];
        used = new boolean[cap];
    }

    public int size() {
        return size;
    }

    /** Adds weight (and one event) to the pair (a, b). */
    public void add(long a, long b, long weight) {
        add(a, b, weight, 1);
    }

    public void add(long a, long b, long weight, long count) {
        int mask = keysA.length - 1;
        int i = mix(a * 31 + b) & mask;
        while (used[i]) {
            if (keysA[i] == a && keysB[i] == b) {
                weights[i] += weight;
                counts[i] += count;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keysA[i] = a;
        keysB[i] = b;
        weights[i] = weight;
        counts[i] = count;
        if (++size * 2 > keysA.length) {
            grow();
        }
    }

    /** Keeps the larger of the stored weight and value for (a, b): a running maximum instead of a sum. */
    public void max(long a, long b, long value) {
        int mask = keysA.length - 1;
        int i = mix(a * 31 + b) & mask;
        while (used[i]) {
            if (keysA[i] == a && keysB[i] == b) {
                weights[i] = Math.max(weights[i], value);
                counts[i]++;
                return;
            }
            i = (i + 1) & mask;
        }
        add(a, b, value, 1);
    }

    /** Weight stored for (a, b), 0 when absent. */
    public long weight(long a, long b) {
        int mask = keysA.length - 1;
        int i = mix(a * 31 + b) & mask;
        while (used[i]) {
            if (keysA[i] == a && keysB[i] == b) {
                return weights[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    /** Calls visitor once per stored pair, in no particular order. */
    public void forEach(Visitor visitor) {
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                visitor.visit(keysA[i], keysB[i], weights[i], counts[i]);
            }
        }
    }

    private void grow() {
        long[] a = keysA;
        long[] b = keysB;
        long[] w = weights;
        long[] c = counts;
        boolean[] u = used;
        allocate(a.length * 2);
        size = 0;
        for (int i = 0; i < a.length; i++) {
            if (u[i]) {
                add(a[i], b[i], w[i], c[i]);
            }
        }
    }

    public void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    /** Receives one stored pair with its accumulated weight and event count. */
    @FunctionalInterface
    public interface Visitor {
        void visit(long a, long b, long weight, long count);
    }
}
