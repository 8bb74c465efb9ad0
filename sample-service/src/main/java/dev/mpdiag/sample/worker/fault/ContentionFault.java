package dev.mpdiag.sample.worker.fault;

/** Every request posts to one global ledger under a single monitor, so concurrent requests queue on it. */
final class ContentionFault implements Fault {
    @SuppressWarnings("unused")
    private volatile long sink;

    @Override
    public String name() {
        return "contention";
    }

    @Override
    public String description() {
        return "A lock hotspot: request threads block entering the monitor of "
                + "dev.mpdiag.sample.worker.fault.LedgerLock in LedgerLock.post (jdk.JavaMonitorEnter), a large share of "
                + "request thread time is blocked there, and throughput stops scaling with concurrency.";
    }

    @Override
    public void onRequest(long seq) {
        sink = LedgerLock.INSTANCE.post(seq);
    }
}
