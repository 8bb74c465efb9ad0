package dev.mpdiag.engine;

import java.util.Arrays;

/**
 * The sampled events of one accumulator in arrival order, keyed as the accumulator is (stack trace and
 * class pool keys) plus the 20 ms cell they fell in. Kept raw during the pass (four array stores per event)
 * because stack ids only exist once the accumulator's stacks are interned at the end.
 */
final class TimedLog {
    long[] stackKeys = new long[256];
    long[] classKeys = new long[256];
    long[] cells = new long[256];
    long[] weights = new long[256];
    int size;

    void add(long stackKey, long classKey, long cell, long weight) {
        if (size == cells.length) {
            int n = size * 2;
            stackKeys = Arrays.copyOf(stackKeys, n);
            classKeys = Arrays.copyOf(classKeys, n);
            cells = Arrays.copyOf(cells, n);
            weights = Arrays.copyOf(weights, n);
        }
        stackKeys[size] = stackKey;
        classKeys[size] = classKey;
        cells[size] = cell;
        weights[size] = weight;
        size++;
    }
}
