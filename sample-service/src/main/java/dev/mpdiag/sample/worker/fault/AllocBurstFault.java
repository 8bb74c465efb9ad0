package dev.mpdiag.sample.worker.fault;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Allocates 64 KB buffers at {@value #MB_PER_SECOND} MB a second in time (on whichever requests come) and keeps
 * the most recent {@value #RING_MB} MB of them alive, about 50 ms worth: objects that die young but not at once,
 * which every young collection must copy. GC pressure whose size does not depend on how fast the machine serves.
 * Lock-free, so the fault's own bookkeeping is no lock hotspot.
 */
final class AllocBurstFault implements Fault {
    static final int BUFFER_BYTES = 64 * 1024;
    static final int MB_PER_SECOND = 800;
    static final int RING_MB = 40;
    /** A request never allocates more than this many buffers (50 ms worth): no flood after an idle spell. */
    static final int MAX_PER_REQUEST = MB_PER_SECOND * 16 / 20;

    private final Pace pace;
    private final AtomicReferenceArray<BurstBuffer> ring = new AtomicReferenceArray<>(RING_MB * 16);
    private final AtomicLong allocated = new AtomicLong();

    AllocBurstFault() {
        this(new Pace(MB_PER_SECOND * 16.0, Long.MAX_VALUE));
    }

    AllocBurstFault(Pace pace) {
        this.pace = pace;
    }

    @Override
    public String name() {
        return "alloc-burst";
    }

    @Override
    public String description() {
        return "GC pressure: 800 MB/s in time of byte[] inside dev.mpdiag.sample.worker.fault.BurstBuffer allocated in "
                + "AllocBurstFault.onRequest, the last 40 MB kept alive so young collections copy them: a high "
                + "allocation rate and a large share of time in GC pauses, but no growth of the live set.";
    }

    @Override
    public void onRequest(long seq) {
        long allowed = pace.allowed();
        // Debt beyond one request's share is forgiven, so an idle spell is not paid back in one go.
        allocated.accumulateAndGet(allowed - MAX_PER_REQUEST, Math::max);
        long n;
        while ((n = allocated.get()) < allowed) {
            if (allocated.compareAndSet(n, n + 1)) {
                ring.set((int) (n % ring.length()), new BurstBuffer(BUFFER_BYTES, seq + n));
            }
        }
    }

    /** Buffers allocated so far. */
    long allocated() {
        return allocated.get();
    }
}
