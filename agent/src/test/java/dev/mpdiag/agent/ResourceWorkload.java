package dev.mpdiag.agent;

import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Child-JVM workload for the agent ITs: holds 20 files, 3 server sockets and 5 extra threads for ~3 s. */
public final class ResourceWorkload {

    static final int FILES = 20;
    static final int SERVER_SOCKETS = 3;
    static final int THREADS = 5;
    static final long RUN_MILLIS = 3_000;

    private ResourceWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("mpagent-workload");
        List<AutoCloseable> open = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < FILES; i++) {
                Path file = Files.writeString(dir.resolve("f" + i), "x");
                open.add(new FileInputStream(file.toFile()));
            }
            for (int i = 0; i < SERVER_SOCKETS; i++) {
                open.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            for (int i = 0; i < THREADS; i++) {
                // Timed waits block in the kernel, so each thread piles up voluntary context switches.
                Thread t = new Thread(() -> {
                    try {
                        while (!done.await(10, TimeUnit.MILLISECONDS)) {
                            // keep waiting until main is done
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "workload-" + i);
                t.start();
                threads.add(t);
            }
            System.out.println("feature=" + Runtime.version().feature());
            Thread.sleep(RUN_MILLIS);
        } finally {
            done.countDown();
            for (Thread t : threads) {
                t.join();
            }
            for (AutoCloseable c : open) {
                c.close();
            }
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
