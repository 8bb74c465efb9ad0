package dev.mpdiag.sample.worker.fault;

import java.util.function.LongSupplier;

/**
 * A fault's rate in time: how much it may have done by now, per second since it first ran, up to a cap. Each
 * request does only what catches up with that, so a leak grows at its rate in time whatever the request rate (as
 * long as requests come more often than its unit) and stops at its cap: a fast machine fills it no sooner than a
 * slow one.
 */
final class Pace {
    private final double perSecond;
    private final long cap;
    private final LongSupplier nanoTime;
    private long startNanos = Long.MIN_VALUE;

    Pace(double perSecond, long cap) {
        this(perSecond, cap, System::nanoTime);
    }

    Pace(double perSecond, long cap, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.cap = cap;
        this.nanoTime = nanoTime;
    }

    /** How many units may have been done by now (the clock starts at the first call), at most the cap. */
    synchronized long allowed() {
        long now = nanoTime.getAsLong();
        if (startNanos == Long.MIN_VALUE) {
            startNanos = now;
        }
        return (long) Math.min(cap, perSecond * ((now - startNanos) / 1e9));
    }

    long cap() {
        return cap;
    }

    double perSecond() {
        return perSecond;
    }
}
