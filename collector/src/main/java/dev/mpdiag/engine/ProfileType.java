package dev.mpdiag.engine;

import java.util.Locale;

/** The profile types of DESIGN.md, each with the unit its weights are in. */
public enum ProfileType {
    CPU("samples"),
    WALL("samples"),
    ALLOC("bytes"),
    LOCK("ns"),
    /** Object.wait time, kept apart from monitor enter and parking, where waiting is usually by design. */
    WAIT("ns"),
    NATIVE("samples");

    public final String unit;

    ProfileType(String unit) {
        this.unit = unit;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a type name as users write it (cpu, alloc, ...). */
    public static ProfileType parse(String s) {
        for (ProfileType t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown profile type '" + s + "' (expected one of cpu, wall, alloc, lock, wait, native)");
    }
}
