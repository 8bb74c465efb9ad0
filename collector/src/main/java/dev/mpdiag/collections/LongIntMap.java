package dev.mpdiag.collections;

import java.util.Arrays;

/** Open-addressing map from long keys to int values; no boxing, for per-chunk id tables. */
public final class LongIntMap {
    private static final int MISSING = Integer.MIN_VALUE;
    private long[] keys;
    // Parallel to keys; MISSING marks an empty slot so that key 0 (a valid JFR constant pool key) is storable.
    private int[] values;
    private int size;

    public LongIntMap() {
        this(64);
    }

    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, MISSING);
    }

    public int size() {
        return size;
    }

    /** Stores value for key, replacing any previous value. value must not be Integer.MIN_VALUE. */
    public void put(long key, int value) {
        int mask = keys.length - 1;
        int i = LongLongMap.mix(key) & mask;
        while (values[i] != MISSING) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Returns the value for key, or dflt when absent. */
    public int get(long key, int dflt) {
        int mask = keys.length - 1;
        int i = LongLongMap.mix(key) & mask;
        int v;
        while ((v = values[i]) != MISSING) {
            if (keys[i] == key) {
                return v;
            }
            i = (i + 1) & mask;
        }
        return dflt;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, MISSING);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != MISSING) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
