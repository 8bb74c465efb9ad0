package dev.mpdiag.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The program the thread pile-up and leak tests record: threads named "leaky-worker-N", started by
 * {@link LeakyWorkers#startLeakyWorker}, that never end; small pools ("pool-N-thread-M") whose threads do
 * end; and a static map, {@link LeakCache#ENTRIES}, that only grows with {@link LeakedEntry} values.
 * Every 700 ms it stops an in-process recording that enables jdk.OldObjectSample: like the agent's copy(true)
 * cuts, each stop writes the live samples. JFR takes the stopping recording's cutoff, so the cuts alternate
 * between paths to GC roots (cutoff infinity) and none (cutoff 0): both kinds of sample are then certain to be
 * in the file, not left to whether the end-of-run dump finds a chain. A last cut with chains follows the end of the
 * filling, so no sample the sampler still holds is left with only cutoff-0 sightings.
 *
 * <p>Usage: LeakWorkload millis
 */
public final class LeakWorkload {
    public static final long RUN_MILLIS = 3000;
    static volatile Object sink;

    /** The value class of the growing map; its payload is what JFR's old-object sampler mostly picks. */
    static final class LeakedEntry {
        final long id;
        final long[] payload = new long[128];

        LeakedEntry(long id) {
            this.id = id;
        }
    }

    /** Holds the leak in a static field; none of its methods stays on a stack, so the root is the class itself. */
    static final class LeakCache {
        static final Map<Long, LeakedEntry> ENTRIES = new HashMap<>();

        static void add(long id) {
            synchronized (ENTRIES) {
                ENTRIES.put(id, new LeakedEntry(id));
            }
        }
    }

    /** Starts the threads that pile up, from a method of its own so the start site is unmistakable. */
    static final class LeakyWorkers {
        static void startLeakyWorker(int n) {
            Thread t = new Thread(() -> {
                while (true) {
                    LockSupport.park();
                }
            }, "leaky-worker-" + n);
            t.setDaemon(true);
            t.start();
        }
    }

    public static void main(String[] args) throws Exception {
        long start = System.currentTimeMillis();
        long end = start + Long.parseLong(args[0]);
        Thread filler = new Thread(() -> {
            long id = 0;
            while (System.currentTimeMillis() < end) {
                LeakCache.add(id++);
                // Short-lived garbage, so young collections come often and the samples age past them.
                sink = new byte[4096];
                if (id % 100 == 0) {
                    sleepQuietly(1);
                }
            }
        }, "leak-filler");
        filler.start();
        int workers = 0;
        long nextCut = start + 700;
        int cuts = 0;
        long nextPool = start;
        while (System.currentTimeMillis() < end) {
            LeakyWorkers.startLeakyWorker(workers++);
            long now = System.currentTimeMillis();
            if (now >= nextPool) {
                runPool();
                nextPool = now + 500;
            }
            if (now >= nextCut) {
                cut(cuts++ % 2 == 0);
                nextCut = now + 700;
            }
            Thread.sleep(100);
        }
        filler.join();
        // The last word is a cut with chains, taken once the map has stopped growing: every sample the sampler
        // still holds then has its path, however many it took after the last timed cut with chains.
        cut(true);
        System.out.println("entries " + LeakCache.ENTRIES.size() + ", leaky workers " + workers);
    }

    /** Three threads that run one task each and end with the pool. */
    private static void runPool() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            pool.submit(() -> sleepQuietly(5));
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool did not end");
        }
    }

    private static void cut(boolean withChains) {
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("jdk.OldObjectSample").withStackTrace().with("cutoff", withChains ? "infinity" : "0 ns");
            r.start();
            r.stop();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
