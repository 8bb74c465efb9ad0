package dev.mpdiag.engine;

/** Told how far long work has come; the CLI draws a bar, the collector ignores it. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, what) -> { };

    void update(long done, long total, String what);
}
