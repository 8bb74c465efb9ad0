package dev.mpdiag.sample.load;

/**
 * The measured window of a run, on the {@link System#nanoTime()} clock: responses completing inside it are
 * counted, those of the warm-up before it are not. It opens when the generator says so, right after telling its
 * observer, so CPU samples and latencies cover the same interval.
 */
final class LoadWindow {
    private volatile long startNanos = Long.MAX_VALUE;
    private volatile long endNanos = Long.MAX_VALUE;
    private volatile boolean stopped;

    void open(long start, long durationNanos) {
        // End first: a reader that sees the new start must also see the new end.
        endNanos = start + durationNanos;
        startNanos = start;
    }

    boolean contains(long nanos) {
        return nanos >= startNanos && nanos <= endNanos;
    }

    long endNanos() {
        return endNanos;
    }

    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }
}
