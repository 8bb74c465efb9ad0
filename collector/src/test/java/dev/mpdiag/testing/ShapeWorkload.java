package dev.mpdiag.testing;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program whose threads, open files and heap take a chosen shape in time, for the leak checks' tests. Every
 * amount is paced by the clock, not by how fast the machine runs, so a slow or busy machine records the same
 * shape:
 * <ul>
 * <li>{@code held}: in the first 3 s it starts 600 threads that never end, opens 800 files it never closes and
 * keeps 140 MB (of -Xmx256m), then holds them: a leak that hit its cap early.
 * <li>{@code climbing}: 15 threads, 25 files and 2 MB a second for the whole run, on top of 100 MB kept at once
 * (so G1's old-generation cycles run from early on).
 * <li>{@code released}: as held, then at 10 s the threads end, the files close and the heap is let go.
 * <li>{@code healthy}: a pool of 40 threads that fills once at 3 s and is reused, files opened and closed, and
 * 300 MB a second of short-lived garbage: many short young collections.
 * </ul>
 * Usage: ShapeWorkload MODE SECONDS DIR (DIR holds the files it opens).
 */
public final class ShapeWorkload {
    static final int MB = 1 << 20;
    static final int PIECES_PER_MB = 16;
    static volatile Object sink;

    private final List<Thread> threads = new ArrayList<>();
    private final List<FileChannel> files = new ArrayList<>();
    private final List<byte[]> kept = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Path dir;
    private final long t0 = System.nanoTime();

    private ShapeWorkload(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long seconds = Long.parseLong(args[1]);
        Path dir = Files.createDirectories(Path.of(args[2]));
        ShapeWorkload w = new ShapeWorkload(dir);
        switch (mode) {
            case "held" -> w.held(seconds, false);
            case "released" -> w.held(seconds, true);
            case "climbing" -> w.climbing(seconds);
            case "healthy" -> w.healthy(seconds);
            default -> throw new IllegalArgumentException("mode held|climbing|released|healthy, got " + mode);
        }
        System.out.println(mode + ": threads " + w.threads.size() + ", files " + w.files.size() + ", kept MB " + w.kept.size() / PIECES_PER_MB);
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Brings each resource up to rate x elapsed (at most cap) and makes young garbage; every 10 ms until end. */
    private void pace(double until, double threadRate, int threadCap, double fileRate, int fileCap, double mbRate,
            int mbStart, int mbCap, int garbageMbPerSecond) throws Exception {
        while (elapsed() < until) {
            double t = elapsed();
            while (threads.size() < Math.min(threadCap, threadRate * t)) {
                startStuckThread(threads.size());
            }
            while (files.size() < Math.min(fileCap, fileRate * t)) {
                files.add(FileChannel.open(dir.resolve("open-" + files.size() + ".dat"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE));
            }
            // 64 KB pieces: an array of half a G1 region or more is humongous and takes whole regions.
            while (kept.size() < PIECES_PER_MB * Math.min(mbCap, mbStart + mbRate * t)) {
                kept.add(new byte[MB / PIECES_PER_MB]);
            }
            garbage(garbageMbPerSecond * 1024 / 100);
            Thread.sleep(10);
        }
    }

    private void held(long seconds, boolean releaseAt10) throws Exception {
        pace(releaseAt10 ? 10 : seconds, 200, 600, 270, 800, 47, 0, 140, 20);
        if (releaseAt10) {
            release.countDown();
            for (Thread t : threads) {
                t.join(5000);
            }
            for (FileChannel f : files) {
                f.close();
            }
            kept.clear();
            pace(seconds, 0, 0, 0, 0, 0, 0, 0, 20);
        }
    }

    private void climbing(long seconds) throws Exception {
        pace(seconds, 15, Integer.MAX_VALUE, 25, Integer.MAX_VALUE, 2, 100, Integer.MAX_VALUE, 20);
    }

    private void healthy(long seconds) throws Exception {
        for (int i = 0; i < 20 * PIECES_PER_MB; i++) {
            kept.add(new byte[MB / PIECES_PER_MB]);
        }
        while (elapsed() < 3) {
            garbage(3 * 1024);
            Thread.sleep(10);
        }
        AtomicInteger named = new AtomicInteger();
        // Daemon threads: a main that fails must not leave the pool keeping the JVM alive.
        ExecutorService pool = Executors.newFixedThreadPool(40, r -> {
            Thread t = new Thread(r, "healthy-pool-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        while (elapsed() < seconds) {
            for (int i = 0; i < 40; i++) {
                pool.execute(() -> garbage(75));
            }
            try (FileChannel f = FileChannel.open(dir.resolve("churn.dat"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                sink = f;
            }
            Thread.sleep(10);
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** About kb kilobytes of 1 KB arrays that die at once. */
    private static void garbage(int kb) {
        for (int i = 0; i < kb; i++) {
            sink = new byte[1024];
        }
    }

    private void startStuckThread(int n) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stuck-worker-" + n);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }
}
