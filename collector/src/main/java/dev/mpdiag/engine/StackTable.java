package dev.mpdiag.engine;

import dev.mpdiag.collections.IntArrayKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Interned stacks: arrays of frame ids, leaf first (as JFR stores them), each with a small int id. */
public final class StackTable {
    private final Map<IntArrayKey, Integer> ids = new HashMap<>();
    private int[][] stacks = new int[256][];
    private int size;

    /** Returns the id of the stack with these frames; the array is kept, so callers pass a fresh one. */
    public int intern(int[] framesLeafFirst) {
        IntArrayKey k = new IntArrayKey(framesLeafFirst);
        Integer id = ids.get(k);
        if (id != null) {
            return id;
        }
        if (size == stacks.length) {
            stacks = Arrays.copyOf(stacks, size * 2);
        }
        stacks[size] = framesLeafFirst;
        ids.put(k, size);
        return size++;
    }

    public int size() {
        return size;
    }

    /** Frame ids, leaf first. Do not modify. */
    public int[] frames(int id) {
        return stacks[id];
    }
}
