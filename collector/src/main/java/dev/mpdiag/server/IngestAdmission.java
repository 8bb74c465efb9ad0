package dev.mpdiag.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many uploads are summarized and stored at once. An upload that finds no room within a short wait is shed
 * with 429 and a Retry-After, which the agent retries later: past its capacity the collector then goes on
 * finishing uploads at its full rate, where before every upload slowed down until agents timed out, resent, and
 * each resend cost the collector the same work again (bench/soak-load.sh at 320 agents on one core: 220 timed-out
 * attempts, most of them uploads the collector finished anyway).
 */
public final class IngestAdmission {
    /** What a shed upload is told to wait, in seconds: the agent takes the longer of this and its own backoff. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Semaphore permits;
    private final long waitMillis;
    private final int concurrent;
    public final AtomicLong shed = new AtomicLong();

    /** Holds one upload's room until closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public IngestAdmission(int concurrent, long waitMillis) {
        if (concurrent < 1 || waitMillis < 0) {
            throw new IllegalArgumentException("need at least one upload at a time and a wait of 0 or more");
        }
        this.concurrent = concurrent;
        this.permits = new Semaphore(concurrent, true);
        this.waitMillis = waitMillis;
    }

    /**
     * Sixteen uploads per core the collector may use, at least 32: an upload holds its room through four fsyncs,
     * which take far longer than its few milliseconds of CPU, so room for two per core shed uploads at 384 agents
     * on one core while the core was half idle (bench/soak-load.sh). Waits up to a second: longer means the
     * collector is that far behind.
     */
    public static IngestAdmission forThisMachine() {
        return new IngestAdmission(Math.max(32, 16 * Runtime.getRuntime().availableProcessors()), 1_000);
    }

    public int concurrent() {
        return concurrent;
    }

    /** Room for one upload, or an {@link ApiException} 429 when none came free in time. */
    public Permit admit() {
        boolean got;
        try {
            got = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            shed.incrementAndGet();
            throw ApiException.busy("the collector is at its limit of " + concurrent + " uploads at once; "
                    + "retry after " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
        }
        return permits::release;
    }
}
