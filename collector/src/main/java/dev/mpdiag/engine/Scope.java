package dev.mpdiag.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which parts of a summary to compute. Events outside the scope are skipped by their size prefix without
 * being decoded, so `mpdiag flame --type cpu` does not pay for the allocation and lock events of a dense file.
 * Times (each sample's 20 ms cell, for heatmaps and exact spans) cost memory in proportion to the samples, so
 * only the collector and the heatmap ask for them.
 */
public record Scope(Set<ProfileType> types, boolean periodic, boolean times) {
    public static final Scope ALL = new Scope(EnumSet.allOf(ProfileType.class), true, true);

    /** One profile type and nothing else. */
    public static Scope only(ProfileType type) {
        return new Scope(EnumSet.of(type), false, false);
    }

    public Scope withTimes(boolean on) {
        return new Scope(types, periodic, on);
    }

    public boolean has(ProfileType t) {
        return types.contains(t);
    }
}
