package dev.mpdiag.sample.load;

import java.io.IOException;

/** Drives HTTP load at one loopback URL and reports what it measured: the built-in generator or wrk. */
public interface LoadDriver {
    LoadResult run(LoopbackTarget target, LoadSpec spec, WindowObserver observer) throws IOException, InterruptedException;
}
