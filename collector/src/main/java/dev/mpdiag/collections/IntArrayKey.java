package dev.mpdiag.collections;

import java.util.Arrays;

/**
 * An int[] as a hash-map key compared by content, with its hash computed once. Made once per distinct
 * stack when interning, never per event.
 */
public final class IntArrayKey {
    public final int[] values;
    private final int hash;

    public IntArrayKey(int[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntArrayKey k && k.hash == hash && Arrays.equals(k.values, values);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
