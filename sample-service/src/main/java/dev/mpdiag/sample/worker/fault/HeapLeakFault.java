package dev.mpdiag.sample.worker.fault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores sessions of about 16 KB in a static map that is never cleaned, a 32nd of the maximum heap a second in
 * time (16 MB/s at -Xmx512m, on whichever requests come). It stops growing when it holds half the maximum heap,
 * in about 16 s, and then holds it: G1 runs its old-generation cycles from then on, without the worker dying.
 */
final class HeapLeakFault implements Fault {
    static final int SESSION_BYTES = 16 * 1024;

    /** The leak: a static map from session number (in the order the pace allowed them) to session, only ever added to. */
    static final Map<Long, RetainedSession> SESSIONS = new ConcurrentHashMap<>();

    private final Pace pace;
    private final AtomicLong retained = new AtomicLong();
    private final AtomicBoolean capped = new AtomicBoolean();

    HeapLeakFault() {
        this(new Pace(Runtime.getRuntime().maxMemory() / 32.0, Runtime.getRuntime().maxMemory() / 2));
    }

    HeapLeakFault(Pace pace) {
        this.pace = pace;
    }

    @Override
    public String name() {
        return "heap-leak";
    }

    @Override
    public String description() {
        return "A heap leak: the live set after old-generation collections grows by a 32nd of the max heap a second up "
                + "to half of it and is then held; old-object "
                + "samples point at dev.mpdiag.sample.worker.fault.RetainedSession and its byte[] held by the static "
                + "map HeapLeakFault.SESSIONS (a ConcurrentHashMap), 16 KB each.";
    }

    @Override
    public void onRequest(long seq) {
        if (capped.get()) {
            return;
        }
        long allowed = pace.allowed();
        while (retained.get() + SESSION_BYTES <= allowed) {
            long id = retained.addAndGet(SESSION_BYTES) / SESSION_BYTES;
            SESSIONS.put(id, new RetainedSession(id, SESSION_BYTES));
        }
        if (allowed >= pace.cap() && capped.compareAndSet(false, true)) {
            System.err.printf("heap-leak: stopped growing at %d sessions, its cap of %d MB%n", SESSIONS.size(),
                    pace.cap() >> 20);
        }
    }
}
