import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Workload behind the dense JFR recordings of bench/analyze-vs-peers.sh.
 *
 * <p>Run it under a recording and it exits once the JFR repository holds TARGET_MB of chunks, so that
 * {@code dumponexit} writes a file of about that size (the script adds small fixed TLABs, so that
 * allocation events are dense too):
 * <pre>
 * java -Xmx512m -XX:TLABSize=8k -XX:-ResizeTLAB \
 *      -XX:StartFlightRecording:settings=profile,settings=bench/dense.jfc,maxsize=64g,filename=F.jfr,dumponexit=true \
 *      bench/src/DenseWorkload.java TARGET_MB [MAX_SECONDS]
 * </pre>
 * Three workers take batches of routes from a wait/notify queue (JavaMonitorWait) and walk each route
 * through 32 methods ({@code m00}..{@code m31}, each with a fan-out of 4), so stacks differ by path: 4096
 * routes of depth 6 to 14 give tens of thousands of distinct stacks. About one step in 64 takes a global
 * monitor or a {@code ReentrantLock} and sometimes yields while holding it (JavaMonitorEnter, ThreadPark);
 * every route ends in a leaf that allocates one of eight kinds of object (ObjectAllocationSample,
 * ObjectAllocationInNewTLAB/OutsideTLAB). A ticker thread parks for 100 us in a loop, like a poller.
 */
public final class DenseWorkload {
    static final int METHODS = 32;
    static final int FAN_OUT = 4;
    static final int ROUTE_COUNT = 4096;
    static final int WORKERS = 3;
    static final int BATCH = 256;
    static final int QUEUE_CAPACITY = 8;
    static final long MB = 1L << 20;

    static final int[][] ROUTES = routes(new Random(42));
    static final Object GLOBAL_MONITOR = new Object();
    static final ReentrantLock[] LOCKS = {new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};
    static final BatchQueue QUEUE = new BatchQueue();

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DenseWorkload TARGET_MB [MAX_SECONDS]");
            System.exit(2);
        }
        long target = (long) (Double.parseDouble(args[0]) * MB);
        long maxMillis = args.length > 1 ? Long.parseLong(args[1]) * 1000 : 3_600_000;
        String repository = System.getProperty("jdk.jfr.repository");
        if (repository == null) {
            System.err.println("DenseWorkload: no JFR repository; start the JVM with -XX:StartFlightRecording");
            System.exit(2);
        }
        startDaemon("producer", DenseWorkload::produce);
        startDaemon("ticker", DenseWorkload::tick);
        for (int t = 0; t < WORKERS; t++) {
            startDaemon("worker-" + t, new Worker(t));
        }
        long start = System.currentTimeMillis();
        long lastReport = start;
        while (true) {
            Thread.sleep(250);
            long size = repositorySize(Path.of(repository));
            long now = System.currentTimeMillis();
            if (size >= target || now - start >= maxMillis) {
                System.err.printf("DenseWorkload: %d MB in the repository after %.1f s, stopping%n",
                        size / MB, (now - start) / 1000.0);
                System.exit(0);  // dumponexit writes the recording
            }
            if (now - lastReport >= 10_000) {
                System.err.printf("DenseWorkload: %d of %d MB after %.0f s%n", size / MB, target / MB,
                        (now - start) / 1000.0);
                lastReport = now;
            }
        }
    }

    static long repositorySize(Path repository) throws Exception {
        long total = 0;
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.isRegularFile(p) && p.toString().endsWith(".jfr")) total += Files.size(p);
                } catch (IOException gone) {
                    // a chunk may be renamed or removed while we look
                }
            }
        }
        return total;
    }

    static void startDaemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    static int[][] routes(Random rnd) {
        int[][] routes = new int[ROUTE_COUNT][];
        for (int i = 0; i < ROUTE_COUNT; i++) {
            int[] route = new int[6 + rnd.nextInt(9)];
            route[0] = rnd.nextInt(METHODS);
            for (int d = 1; d < route.length; d++) {
                route[d] = (route[d - 1] * 7 + rnd.nextInt(FAN_OUT) * 5 + 1) % METHODS;
            }
            routes[i] = route;
        }
        return routes;
    }

    /** Hands out batches of route indices; u*u skews them toward low indices, so some routes are hot. */
    static void produce() {
        Random rnd = new Random(7);
        while (true) {
            int[] batch = new int[BATCH];
            for (int k = 0; k < BATCH; k++) {
                double u = rnd.nextDouble();
                batch[k] = (int) (ROUTE_COUNT * u * u);
            }
            QUEUE.put(batch);
        }
    }

    /** Short timed parks, as a scheduler or poller thread would do: a steady stream of ThreadPark events. */
    static void tick() {
        while (true) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Bounded queue on wait/notify, so idle producers and consumers show up as JavaMonitorWait. */
    static final class BatchQueue {
        private final int[][] items = new int[QUEUE_CAPACITY][];
        private int head;
        private int count;

        synchronized void put(int[] batch) {
            while (count == items.length) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
            items[(head + count) % items.length] = batch;
            count++;
            notifyAll();
        }

        synchronized int[] take() {
            while (count == 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return null;
                }
            }
            int[] batch = items[head];
            head = (head + 1) % items.length;
            count--;
            notifyAll();
            return batch;
        }
    }

    static final class Worker implements Runnable {
        final Random rnd;
        final Object[] sink = new Object[1024];  // keeps allocations alive past escape analysis
        int sinkIndex;
        long checksum;

        Worker(int id) {
            rnd = new Random(id);
        }

        @Override
        public void run() {
            int[] batch;
            while ((batch = QUEUE.take()) != null) {
                for (int index : batch) {
                    checksum += walk(this, ROUTES[index], rnd.nextLong());
                }
            }
        }

        void keep(Object o) {
            sink[sinkIndex++ & (sink.length - 1)] = o;
        }
    }

    static long walk(Worker w, int[] route, long seed) {
        return next(w, route, 0, seed);
    }

    static long spin(long a, int rounds) {
        for (int k = 0; k < rounds; k++) {
            a = a * 6364136223846793005L + 1442695040888963407L;
            a ^= a >>> 29;
        }
        return a;
    }

    /** Steps to the route's i-th method; each step is two frames (next, mNN), so stacks follow the route. */
    static long next(Worker w, int[] r, int i, long a) {
        if (i == r.length) return leaf(w, r, a);
        if ((a & 63) == 0) a = contend(r[i], a);
        switch (r[i]) {
            case 0: return m00(w, r, i, a);
            case 1: return m01(w, r, i, a);
            case 2: return m02(w, r, i, a);
            case 3: return m03(w, r, i, a);
            case 4: return m04(w, r, i, a);
            case 5: return m05(w, r, i, a);
            case 6: return m06(w, r, i, a);
            case 7: return m07(w, r, i, a);
            case 8: return m08(w, r, i, a);
            case 9: return m09(w, r, i, a);
            case 10: return m10(w, r, i, a);
            case 11: return m11(w, r, i, a);
            case 12: return m12(w, r, i, a);
            case 13: return m13(w, r, i, a);
            case 14: return m14(w, r, i, a);
            case 15: return m15(w, r, i, a);
            case 16: return m16(w, r, i, a);
            case 17: return m17(w, r, i, a);
            case 18: return m18(w, r, i, a);
            case 19: return m19(w, r, i, a);
            case 20: return m20(w, r, i, a);
            case 21: return m21(w, r, i, a);
            case 22: return m22(w, r, i, a);
            case 23: return m23(w, r, i, a);
            case 24: return m24(w, r, i, a);
            case 25: return m25(w, r, i, a);
            case 26: return m26(w, r, i, a);
            case 27: return m27(w, r, i, a);
            case 28: return m28(w, r, i, a);
            case 29: return m29(w, r, i, a);
            case 30: return m30(w, r, i, a);
            case 31: return m31(w, r, i, a);
            default: throw new IllegalStateException("method " + r[i]);
        }
    }

    /** Even methods take the global monitor, odd ones a ReentrantLock; a quarter of holders yield the CPU. */
    static long contend(int method, long a) {
        if ((method & 1) == 0) {
            synchronized (GLOBAL_MONITOR) {
                return holdBriefly(a);
            }
        }
        ReentrantLock lock = LOCKS[method % LOCKS.length];
        lock.lock();
        try {
            return holdBriefly(a);
        } finally {
            lock.unlock();
        }
    }

    static long holdBriefly(long a) {
        a = spin(a, 1500);
        // as if waiting on I/O while holding the lock: spinning waiters give up and block (or park)
        if ((a & 3) == 0) Thread.yield();
        return a;
    }

    static long m00(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 100)); }
    static long m01(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 203)); }
    static long m02(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 306)); }
    static long m03(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 409)); }
    static long m04(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 112)); }
    static long m05(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 215)); }
    static long m06(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 318)); }
    static long m07(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 421)); }
    static long m08(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 124)); }
    static long m09(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 227)); }
    static long m10(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 330)); }
    static long m11(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 433)); }
    static long m12(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 136)); }
    static long m13(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 239)); }
    static long m14(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 342)); }
    static long m15(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 445)); }
    static long m16(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 148)); }
    static long m17(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 251)); }
    static long m18(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 354)); }
    static long m19(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 457)); }
    static long m20(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 160)); }
    static long m21(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 263)); }
    static long m22(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 366)); }
    static long m23(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 469)); }
    static long m24(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 172)); }
    static long m25(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 275)); }
    static long m26(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 378)); }
    static long m27(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 481)); }
    static long m28(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 184)); }
    static long m29(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 287)); }
    static long m30(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 390)); }
    static long m31(Worker w, int[] r, int i, long a) { return next(w, r, i + 1, spin(a, 493)); }

    record Point(long x, long y) {}

    static final class Node {
        final long value;
        final Node next;

        Node(long value, Node next) {
            this.value = value;
            this.next = next;
        }
    }

    /** Allocates one of eight kinds of object, chosen by the route, so allocation stacks differ by path too. */
    static long leaf(Worker w, int[] r, long a) {
        int size = 16 + (int) ((a >>> 40) & 255);
        switch ((r[r.length - 1] + r.length) & 7) {
            case 0: {
                byte[] b = new byte[size * 4];
                b[size] = (byte) a;
                w.keep(b);
                return a + b.length;
            }
            case 1: {
                int[] v = new int[size];
                v[size - 1] = (int) a;
                w.keep(v);
                return a + v.length;
            }
            case 2: {
                String s = Long.toHexString(a) + ':' + size;
                w.keep(s);
                return a + s.length();
            }
            case 3: {
                ArrayList<Long> list = new ArrayList<>();
                for (int k = 0; k < 16; k++) list.add(a + k * 1000);
                w.keep(list);
                return a + list.size();
            }
            case 4: {
                HashMap<Integer, String> map = new HashMap<>();
                for (int k = 0; k < 8; k++) map.put(k + (int) a, "v" + k);
                w.keep(map);
                return a + map.size();
            }
            case 5: {
                Point[] points = new Point[8];
                for (int k = 0; k < points.length; k++) points[k] = new Point(a + k, a - k);
                w.keep(points);
                return a + points.length;
            }
            case 6: {
                // now and then large enough to be allocated outside the TLAB
                long[] big = new long[(a & 255) == 0 ? 16 * 1024 : size];
                big[0] = a;
                w.keep(big);
                return a + big.length;
            }
            default: {
                Node head = null;
                for (int k = 0; k < 8; k++) head = new Node(a + k, head);
                w.keep(head);
                return a + head.value;
            }
        }
    }
}
