package dev.mpdiag.testing;

/**
 * A worker with known hot methods, for the collector's multi-process tests: about two thirds of its CPU in
 * {@link #sharedWork} (every worker has it) and one third in its own method (ownWorkA, B or C). After
 * markAfterMillis it prints "MARK epochMillis" and moves its own share to {@link #markedWork}, so a test can
 * time when a new frame becomes visible. Prints "ALIVE n epochMillis" every second; returns from main after runMillis.
 *
 * <p>Usage: HotWorker A|B|C markAfterMillis runMillis
 */
public final class HotWorker {
    static volatile long sink;

    // Each hot method has its own loop (no shared helper, which JFR would show as the top frame even
    // when the JIT inlines it).

    /**
     * This worker in its own JVM with one -javaagent argument, spinning in method A for 4 s and then exiting: what
     * a test needs of a host whose agent is under test. The log holds its output, the agent's lines included.
     */
    public static ChildJvm startWithAgent(java.nio.file.Path log, String agent) throws Exception {
        return ChildJvm.start(log, java.util.List.of("-Xmx128m", agent, "-cp",
                java.nio.file.Path.of("target", "test-classes").toAbsolutePath().toString(), HotWorker.class.getName(),
                "A", "60000", "4000"));
    }

    public static void main(String[] args) throws Exception {
        char which = args[0].charAt(0);
        long markAfter = Long.parseLong(args[1]);
        long run = Long.parseLong(args[2]);
        long start = System.currentTimeMillis();
        long nextAlive = start;
        int alive = 0;
        boolean marked = false;
        while (System.currentTimeMillis() - start < run) {
            long now = System.currentTimeMillis();
            if (!marked && now - start >= markAfter) {
                marked = true;
                System.out.println("MARK " + now);
            }
            if (now >= nextAlive) {
                System.out.println("ALIVE " + alive++ + " " + now);
                nextAlive += 1000;
            }
            sharedWork(4);
            if (marked) {
                markedWork(2);
            } else if (which == 'A') {
                ownWorkA(2);
            } else if (which == 'B') {
                ownWorkB(2);
            } else {
                ownWorkC(2);
            }
            Thread.sleep(1);
        }
        System.out.println("DONE " + System.currentTimeMillis());
    }

    static void sharedWork(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    static void ownWorkA(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    static void ownWorkB(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    static void ownWorkC(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    static void markedWork(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = sink;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    /** The epoch millis a HotWorker in a child JVM printed with its MARK line; fails after timeoutMillis without one. */
    public static long awaitMark(ChildJvm w, long timeoutMillis) throws Exception {
        for (long deadline = System.currentTimeMillis() + timeoutMillis; System.currentTimeMillis() < deadline; Thread.sleep(20)) {
            for (String line : w.output().split("\n")) {
                if (line.startsWith("MARK ")) {
                    return Long.parseLong(line.substring(5).trim());
                }
            }
        }
        throw new AssertionError("no MARK from the worker: " + w.output());
    }
}
