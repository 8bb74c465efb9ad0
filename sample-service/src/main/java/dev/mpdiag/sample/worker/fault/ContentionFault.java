package dev.mpdiag.sample.worker.fault;

/**
 * Every request posts to one global ledger under a single monitor, and a flusher thread holds that monitor for
 * {@value #FLUSH_MILLIS} ms of every {@value #PERIOD_MILLIS} ms (a slow write made under the lock): the lock is
 * held half the time in time, so requests queue on it at any request rate and on any machine, not only once
 * concurrent requests happen to overlap. The flusher idles once no request has come for a second.
 */
final class ContentionFault implements Fault {
    static final long FLUSH_MILLIS = 50;
    static final long PERIOD_MILLIS = 100;
    private static final long IDLE_NANOS = 1_000_000_000L;

    @SuppressWarnings("unused")
    private volatile long sink;
    private volatile long lastRequestNanos;
    private boolean started;

    @Override
    public String name() {
        return "contention";
    }

    @Override
    public String description() {
        return "A lock hotspot: request threads block entering the monitor of "
                + "dev.mpdiag.sample.worker.fault.LedgerLock in LedgerLock.post (jdk.JavaMonitorEnter), held half the time "
                + "in time by a ledger-flusher thread (50 ms of every 100 ms), so a large share of request thread time "
                + "is blocked there at any load and throughput stops scaling with concurrency.";
    }

    @Override
    public void onRequest(long seq) {
        lastRequestNanos = System.nanoTime();
        startFlusher();
        sink = LedgerLock.INSTANCE.post(seq);
    }

    private synchronized void startFlusher() {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(this::flushLoop, "ledger-flusher");
        t.setDaemon(true);
        t.start();
    }

    private void flushLoop() {
        try {
            while (true) {
                if (System.nanoTime() - lastRequestNanos < IDLE_NANOS) {
                    LedgerLock.INSTANCE.flush(FLUSH_MILLIS);
                }
                Thread.sleep(PERIOD_MILLIS - FLUSH_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
