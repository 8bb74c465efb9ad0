package dev.mpdiag.sample.worker.fault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every request stores a session of about 16 KB in a static map that is never cleaned. It stops growing
 * when it holds half the maximum heap, so it shows a steady rise for minutes without killing the worker.
 */
final class HeapLeakFault implements Fault {
    static final int SESSION_BYTES = 16 * 1024;

    /** The leak: a static map from request number to session, only ever added to. */
    static final Map<Long, RetainedSession> SESSIONS = new ConcurrentHashMap<>();

    private final long capBytes;
    private final AtomicLong retained = new AtomicLong();
    private final AtomicBoolean capped = new AtomicBoolean();

    HeapLeakFault() {
        this(Runtime.getRuntime().maxMemory() / 2);
    }

    HeapLeakFault(long capBytes) {
        this.capBytes = capBytes;
    }

    @Override
    public String name() {
        return "heap-leak";
    }

    @Override
    public String description() {
        return "A heap leak: heap used after GC rises steadily (least-squares slope clearly positive), old-object "
                + "samples point at dev.mpdiag.sample.worker.fault.RetainedSession and its byte[] held by the static "
                + "map HeapLeakFault.SESSIONS (a ConcurrentHashMap), about 16 KB per request.";
    }

    @Override
    public void onRequest(long seq) {
        if (capped.get()) {
            return;
        }
        if (retained.addAndGet(SESSION_BYTES) > capBytes) {
            if (capped.compareAndSet(false, true)) {
                System.err.printf("heap-leak: stopped growing at %d sessions, its cap of %d MB%n",
                        SESSIONS.size(), capBytes >> 20);
            }
            return;
        }
        SESSIONS.put(seq, new RetainedSession(seq, SESSION_BYTES));
    }
}
