package dev.mpdiag.jfr;

/** One field of a JFR type as the chunk's metadata declares it. */
public final class JfrField {
    public final String name;
    public final long typeId;
    public final boolean constantPool;
    /** 0 for a scalar, 1 for an array (JFR uses no deeper arrays). */
    public final int dimension;
    /** Resolved after all types are read. */
    JfrType type;

    JfrField(String name, long typeId, boolean constantPool, int dimension) {
        this.name = name;
        this.typeId = typeId;
        this.constantPool = constantPool;
        this.dimension = dimension;
    }

    public JfrType type() {
        return type;
    }
}
