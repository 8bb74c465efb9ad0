package dev.mpdiag.sample.worker.fault;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Every {@value #EVERY} requests start a thread that parks forever; at most {@value #CAP} of them. */
final class ThreadLeakFault implements Fault {
    static final int EVERY = 20;
    static final int CAP = 2000;

    private final AtomicInteger started = new AtomicInteger();

    @Override
    public String name() {
        return "thread-leak";
    }

    @Override
    public String description() {
        return "A thread pile-up: the live thread count grows linearly with requests (one per 20), the growing "
                + "threads are named leaky-worker-<n>, started from ThreadLeakFault.onRequest and never end "
                + "(jdk.ThreadStart without jdk.ThreadEnd), each parked in ThreadLeakFault.parkForever.";
    }

    @Override
    public void onRequest(long seq) {
        if (seq % EVERY != 0 || started.get() >= CAP) {
            return;
        }
        int n = started.incrementAndGet();
        if (n > CAP) {
            return;
        }
        Thread t = new Thread(ThreadLeakFault::parkForever, "leaky-worker-" + n);
        t.setDaemon(true);
        t.start();
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
