package dev.mpdiag.engine;

import java.util.Arrays;

/** Weight and event count per stack id for one profile type. */
public final class Profile {
    private long[] weights = new long[64];
    private long[] counts = new long[64];
    private long totalWeight;
    private long totalCount;

    public void add(int stackId, long weight, long count) {
        if (stackId >= weights.length) {
            int n = Math.max(stackId + 1, weights.length * 2);
            weights = Arrays.copyOf(weights, n);
            counts = Arrays.copyOf(counts, n);
        }
        weights[stackId] += weight;
        counts[stackId] += count;
        totalWeight += weight;
        totalCount += count;
    }

    public long weight(int stackId) {
        return stackId < weights.length ? weights[stackId] : 0;
    }

    public long count(int stackId) {
        return stackId < counts.length ? counts[stackId] : 0;
    }

    /** Stack ids are below this bound. */
    public int capacity() {
        return weights.length;
    }

    public long totalWeight() {
        return totalWeight;
    }

    public long totalCount() {
        return totalCount;
    }

    public boolean isEmpty() {
        return totalCount == 0;
    }
}
