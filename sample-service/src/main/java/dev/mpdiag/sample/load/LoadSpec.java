package dev.mpdiag.sample.load;

import java.time.Duration;

/**
 * How much load to drive: a fixed number of keep-alive connections for a fixed measured duration, after a
 * warm-up whose requests are not counted. {@code threads} is used by wrk only (the Java generator runs one
 * thread per connection). A rate above 0 (requests per second over all connections) makes the built-in generator
 * an open loop: requests are sent at fixed times whatever the answers' speed.
 */
public record LoadSpec(int connections, Duration duration, Duration warmup, int threads, double rate) {
    /** Closed loop: each connection sends its next request as soon as the previous answer came. */
    public LoadSpec(int connections, Duration duration, Duration warmup, int threads) {
        this(connections, duration, warmup, threads, 0);
    }

    public LoadSpec {
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate must not be negative, got " + rate);
        }
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
