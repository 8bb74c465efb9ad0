package dev.mpdiag.engine;

import java.util.Arrays;

/**
 * When one profile's samples happened, to 20 ms: weight and count per (cell, stack id), where a cell is
 * a 20 ms slot of epoch time. This is what the sub-second heatmap draws and what cuts a flame graph to an
 * exact span; the plain {@link Profile} keeps only totals per stack. Parallel primitive arrays, appended
 * once per distinct (cell, stack) of a chunk; merging appends too, so a pair may repeat across chunks and
 * every reader sums.
 */
public final class Heat {
    /** Cell width. 20 ms gives FlameScope's 50 rows per second and divides every row size the API allows. */
    public static final int CELL_MILLIS = 20;

    private long[] cells = new long[16];
    private int[] stacks = new int[16];
    private long[] weights = new long[16];
    private long[] counts = new long[16];
    private int size;

    public static long cellOf(long epochMillis) {
        return Math.floorDiv(epochMillis, CELL_MILLIS);
    }

    public void add(long cell, int stackId, long weight, long count) {
        if (size == cells.length) {
            int n = size * 2;
            cells = Arrays.copyOf(cells, n);
            stacks = Arrays.copyOf(stacks, n);
            weights = Arrays.copyOf(weights, n);
            counts = Arrays.copyOf(counts, n);
        }
        cells[size] = cell;
        stacks[size] = stackId;
        weights[size] = weight;
        counts[size] = count;
        size++;
    }

    public int size() {
        return size;
    }

    public long cell(int i) {
        return cells[i];
    }

    public int stack(int i) {
        return stacks[i];
    }

    public long weight(int i) {
        return weights[i];
    }

    public long count(int i) {
        return counts[i];
    }

    /** Appends other's entries with its stack ids mapped into this summary's table. */
    void mergeFrom(Heat other, int[] stackMap) {
        for (int i = 0; i < other.size; i++) {
            add(other.cells[i], stackMap[other.stacks[i]], other.weights[i], other.counts[i]);
        }
    }

    /** The profile of the samples in [fromMillis, toMillis), to the cell. */
    public Profile window(long fromMillis, long toMillis) {
        long first = Math.floorDiv(fromMillis + CELL_MILLIS - 1, CELL_MILLIS);
        long end = Math.floorDiv(toMillis + CELL_MILLIS - 1, CELL_MILLIS);
        Profile p = new Profile();
        for (int i = 0; i < size; i++) {
            if (cells[i] >= first && cells[i] < end) {
                p.add(stacks[i], weights[i], counts[i]);
            }
        }
        return p;
    }
}
