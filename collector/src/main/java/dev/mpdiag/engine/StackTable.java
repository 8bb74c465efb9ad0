package dev.mpdiag.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Interned stacks: arrays of frame ids, leaf first (as JFR stores them), each with a small int id. */
public final class StackTable {
    // Wraps an int[] so the map compares contents; created once per distinct stack, not per event.
    private static final class Key {
        final int[] frames;
        final int hash;

        Key(int[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.frames, frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Map<Key, Integer> ids = new HashMap<>();
    private int[][] stacks = new int[256][];
    private int size;

    /** Returns the id of the stack with these frames; the array is kept, so callers pass a fresh one. */
    public int intern(int[] framesLeafFirst) {
        Key k = new Key(framesLeafFirst);
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
