package dev.mpdiag.sample.load;

import java.time.Duration;

/**
 * How much load to drive: a fixed number of keep-alive connections for a fixed measured duration, after a
 * warm-up whose requests are not counted. {@code threads} is used by wrk only (the Java generator runs one
 * thread per connection).
 */
public record LoadSpec(int connections, Duration duration, Duration warmup, int threads) {
    public LoadSpec {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative, got " + warmup);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** wrk needs at least as many connections as threads; default to one thread per core. */
    public static int defaultThreads(int connections) {
        return Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
    }
}
