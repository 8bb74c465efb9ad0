package dev.mpdiag.sample.worker.fault;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts threads that park forever, {@value #PER_SECOND} a second in time (on whichever requests come), at most
 * {@value #CAP} of them: it climbs for 100 s, on a fast machine or a slow one.
 */
final class ThreadLeakFault implements Fault {
    static final int PER_SECOND = 20;
    static final int CAP = 2000;

    private final AtomicInteger started = new AtomicInteger();
    private final Pace pace;

    ThreadLeakFault() {
        this(new Pace(PER_SECOND, CAP));
    }

    ThreadLeakFault(Pace pace) {
        this.pace = pace;
    }

    @Override
    public String name() {
        return "thread-leak";
    }

    @Override
    public String description() {
        return "A thread pile-up: the live thread count grows by 20 a second in time (whatever the request rate) up to "
                + "2000, the growing "
                + "threads are named leaky-worker-<n>, started from ThreadLeakFault.onRequest and never end "
                + "(jdk.ThreadStart without jdk.ThreadEnd), each parked in ThreadLeakFault.parkForever.";
    }

    @Override
    public void onRequest(long seq) {
        long allowed = pace.allowed();
        while (started.get() < allowed) {
            int n = started.incrementAndGet();
            if (n > allowed) {
                started.decrementAndGet();
                return;
            }
            Thread t = new Thread(ThreadLeakFault::parkForever, "leaky-worker-" + n);
            t.setDaemon(true);
            t.start();
        }
    }

    int started() {
        return started.get();
    }

    private static void parkForever() {
        while (true) {
            LockSupport.park();
        }
    }
}
