package dev.mpdiag.sample.worker.fault;

/** The one global ledger every request posts to under the contention fault: a single monitor. */
final class LedgerLock {
    static final LedgerLock INSTANCE = new LedgerLock();

    /** Rounds of bookkeeping done while holding the monitor, about 0.1-0.2 ms. */
    private static final int ROUNDS = 150_000;

    private final long[] balances = new long[64];

    private LedgerLock() {
    }

    synchronized long post(long seq) {
        long h = seq;
        for (int i = 0; i < ROUNDS; i++) {
            h = h * 6364136223846793005L + balances[i & 63];
            balances[(int) (h >>> 58)] += i;
        }
        return h;
    }

    /** Writes the ledger out while holding its monitor, as a slow call made under a lock: millis of waiting, no CPU. */
    synchronized void flush(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
