package dev.mpdiag.engine;

/**
 * What a frame is: how the JVM ran it, or a synthetic leaf naming an allocated or contended class or a thread
 * state. New kinds go last: summaries store the ordinal.
 */
public enum FrameKind {
    ROOT("root"),
    INTERPRETED("interpreted"),
    JIT("jit"),
    INLINED("inlined"),
    NATIVE("native"),
    CPP("cpp"),
    KERNEL("kernel"),
    ALLOC_CLASS("alloc-class"),
    LOCK_CLASS("lock-class"),
    OTHER("other"),
    /** A synthetic leaf naming the thread state of a wall-clock sample (async-profiler): [sleeping], [runnable]. */
    THREAD_STATE("thread-state");

    public final String label;

    FrameKind(String label) {
        this.label = label;
    }

    private static final FrameKind[] VALUES = values();

    public static FrameKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** Maps the names in JFR's jdk.types.FrameType pool (JDK and async-profiler) to a kind. */
    public static FrameKind fromJfr(String name) {
        if (name == null) {
            return JIT;
        }
        return switch (name) {
            case "Interpreted" -> INTERPRETED;
            case "JIT compiled", "C1 compiled", "C2 compiled" -> JIT;
            case "Inlined" -> INLINED;
            case "Native" -> NATIVE;
            case "C++" -> CPP;
            case "Kernel" -> KERNEL;
            default -> OTHER;
        };
    }
}
