package dev.mpdiag.testing;

/**
 * A worker whose main thread alternates 4 ms of CPU in {@link HotWorker#sharedWork} with 6 ms asleep in
 * {@link #napWork}: a CPU profile shows sharedWork only, a wall-clock profile shows napWork too. Returns from main
 * after runMillis.
 *
 * <p>Usage: SleepyWorker runMillis
 */
public final class SleepyWorker {
    public static void main(String[] args) throws Exception {
        long run = Long.parseLong(args[0]);
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() - start < run) {
            HotWorker.sharedWork(4);
            napWork(6);
        }
        System.out.println("DONE " + System.currentTimeMillis());
    }

    static void napWork(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
