package dev.mpdiag.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The program tests record: a known hot method (HotLoop.spin), a contended monitor (SharedLedger) and
 * allocation of a known class (Payload, at a fixed rate in time), each dominant in its own profile so a report
 * must rank it first, plus a thread of varied work so that profiles have many distinct leaves.
 * Run as a child JVM: {@code Workload <millis> [rotate]}; with "rotate", an in-process recording is started
 * and stopped every 500 ms, which makes JFR close a chunk each time (a multi-chunk file from one process).
 */
public final class Workload {
    static volatile long sink;

    /** Burns CPU in a method with a distinctive name. */
    static final class HotLoop {
        static long spin(int n) {
            long h = 17;
            for (int i = 0; i < n; i++) {
                h = h * 31 + (i ^ (h >>> 7));
            }
            return h;
        }
    }

    /** The one monitor every worker thread fights over, holding it while it sleeps briefly. */
    static final class SharedLedger {
        private long total;

        synchronized void post(long amount) throws InterruptedException {
            total += amount;
            Thread.sleep(2);
        }
    }

    /** Allocated in bulk so that it tops the allocation profile. */
    static final class Payload {
        final long[] data;

        Payload(int n) {
            data = new long[n];
        }
    }

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]);
        SharedLedger ledger = new SharedLedger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                try {
                    while (System.currentTimeMillis() < end) {
                        ledger.post(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "ledger-" + t);
            th.start();
            threads.add(th);
        }
        // The hot thread only spins. Allocation has a thread of its own, paced in time: when one loop did both, the
        // split between spinning and allocating followed the machine's memory speed, and on some machines the loop's
        // own allocating code outweighed HotLoop.spin in the cpu profile.
        Thread cpu = new Thread(() -> {
            while (System.currentTimeMillis() < end) {
                sink += HotLoop.spin(2_000_000);
            }
        }, "hot");
        cpu.start();
        threads.add(cpu);
        Thread alloc = new Thread(() -> {
            try {
                while (System.currentTimeMillis() < end) {
                    List<Payload> batch = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        batch.add(new Payload(512));
                    }
                    sink += batch.size();
                    // 200 x 4 KB every 10 ms: about 80 MB/s, whatever the machine's speed.
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alloc");
        alloc.start();
        threads.add(alloc);
        Thread varied = new Thread(() -> {
            int[] numbers = new int[4096];
            byte[] bytes = new byte[8192];
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            java.util.Random random = new java.util.Random(42);
            while (System.currentTimeMillis() < end) {
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = random.nextInt();
                }
                java.util.Arrays.sort(numbers);
                random.nextBytes(bytes);
                crc.update(bytes);
                // Arithmetic that allocates nothing on any JDK (JDK 25's StrictMath allocates double[] per call).
                double d = 0;
                for (int i = 1; i < 2000; i++) {
                    d += Math.sqrt(i) * Long.bitCount(i * 0x9E3779B97F4A7C15L);
                }
                sink += crc.getValue() + (long) d + Long.numberOfTrailingZeros(numbers[7]);
                try {
                    // Idle part of the time so HotLoop.spin stays the dominant cpu method on 2 cores.
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "varied");
        varied.start();
        threads.add(varied);
        if (args.length > 1 && args[1].equals("rotate")) {
            while (System.currentTimeMillis() < end) {
                Thread.sleep(500);
                try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
                    r.start();
                    r.stop();
                }
            }
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
