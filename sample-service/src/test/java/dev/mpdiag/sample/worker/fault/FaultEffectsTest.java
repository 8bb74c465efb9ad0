package dev.mpdiag.sample.worker.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each fault does to this JVM what its description promises, observed from outside the fault. */
class FaultEffectsTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void contentionBlocksConcurrentRequestsOnTheLedgerMonitor() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ContentionFault fault = new ContentionFault();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 40; i++) {
                        fault.onRequest(i);
                    }
                    // Park until counted, so the thread's blocked count can still be read.
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "contention-test-" + t);
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        long blocked = 0;
        for (Thread t : threads) {
            while (t.getState() != Thread.State.TIMED_WAITING) {
                Thread.sleep(10);
            }
            ThreadInfo info = mx.getThreadInfo(t.getId());
            blocked += info.getBlockedCount();
            t.interrupt();
            t.join();
        }
        assertTrue(blocked > 0, "four threads posting 40 times each never blocked on LedgerLock");
    }

    /** A clock the test moves: the faults' rates are in time, not per request. */
    static final class Clock implements java.util.function.LongSupplier {
        long nanos = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return nanos;
        }

        void advanceMillis(long millis) {
            nanos += millis * 1_000_000L;
        }
    }

    @Test
    void paceFollowsItsRateInTimeUpToItsCap() {
        Clock clock = new Clock();
        Pace pace = new Pace(20, 50, clock);
        assertEquals(0, pace.allowed(), "the clock starts at the first call");
        clock.advanceMillis(500);
        assertEquals(10, pace.allowed());
        clock.advanceMillis(1000);
        assertEquals(30, pace.allowed());
        clock.advanceMillis(60_000);
        assertEquals(50, pace.allowed(), "capped");
    }

    @Test
    void allocBurstAllocatesAtItsRateAndForgivesAnIdleSpell() {
        Clock clock = new Clock();
        AllocBurstFault fault = new AllocBurstFault(new Pace(AllocBurstFault.MB_PER_SECOND * 16.0, Long.MAX_VALUE, clock));
        fault.onRequest(0);
        clock.advanceMillis(10);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        fault.onRequest(1);
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(128, fault.allocated(), "10 ms at 800 MB/s is 128 buffers of 64 KB");
        assertTrue(bytes >= 128L * AllocBurstFault.BUFFER_BYTES, bytes + " bytes");
        clock.advanceMillis(10_000);
        long idleBefore = THREADS.getCurrentThreadAllocatedBytes();
        fault.onRequest(2);
        long idleBytes = THREADS.getCurrentThreadAllocatedBytes() - idleBefore;
        long share = (long) AllocBurstFault.MAX_PER_REQUEST * AllocBurstFault.BUFFER_BYTES;
        assertTrue(idleBytes >= share && idleBytes < share * 11 / 10, "after 10 s idle, one request does 50 ms worth: "
                + idleBytes + " bytes");
    }

    @Test
    void heapLeakKeepsSessionsAtItsRateUntilItsCap() {
        Clock clock = new Clock();
        HeapLeakFault fault = new HeapLeakFault(new Pace(100.0 * HeapLeakFault.SESSION_BYTES, 30L * HeapLeakFault.SESSION_BYTES, clock));
        int before = HeapLeakFault.SESSIONS.size();
        fault.onRequest(1);
        clock.advanceMillis(100);
        fault.onRequest(2);
        assertEquals(10, HeapLeakFault.SESSIONS.size() - before, "100 sessions a second: 10 in 100 ms, on one request");
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(100);
            fault.onRequest(3 + i);
        }
        assertEquals(30, HeapLeakFault.SESSIONS.size() - before, "stops at the cap");
        HeapLeakFault.SESSIONS.clear();
    }

    @Test
    void threadLeakStartsParkedThreadsAtItsRate() throws Exception {
        Clock clock = new Clock();
        ThreadLeakFault fault = new ThreadLeakFault(new Pace(ThreadLeakFault.PER_SECOND, 5, clock));
        int before = countThreads("leaky-worker-");
        fault.onRequest(1);
        clock.advanceMillis(100);
        for (long seq = 2; seq <= 50; seq++) {
            fault.onRequest(seq);
        }
        assertEquals(2, fault.started(), "20 a second: 2 in 100 ms, however many requests came");
        clock.advanceMillis(10_000);
        fault.onRequest(51);
        assertEquals(5, fault.started(), "capped");
        assertEquals(5, countThreads("leaky-worker-") - before);
    }

    @Test
    void fdLeakKeepsFilesOpenAtItsRate() throws IOException {
        Clock clock = new Clock();
        FdLeakFault fault = new FdLeakFault(new Pace(FdLeakFault.PER_SECOND, 8, clock));
        long before = openLeakFiles();
        fault.onRequest(1);
        clock.advanceMillis(80);
        fault.onRequest(2);
        assertEquals(4, fault.openFiles(), "50 a second: 4 in 80 ms");
        clock.advanceMillis(10_000);
        fault.onRequest(3);
        assertEquals(8, fault.openFiles(), "capped");
        assertEquals(8, openLeakFiles() - before, "eight more leak-<n>.dat descriptors in /proc/self/fd");
    }

    @Test
    void slowWorkerCostsGrowWithTheIndex() {
        long zero = allocatedBy(new SlowWorkerFault(0));
        long three = allocatedBy(new SlowWorkerFault(3));
        assertTrue(zero < 1024, "worker 0 does nothing extra: " + zero);
        assertTrue(three > 100_000, "worker 3 does three documents extra: " + three);
    }

    @Test
    void ctxStormSwitchesThreadsManyTimesPerRequest() throws Exception {
        CtxStormFault fault = new CtxStormFault();
        fault.onRequest(0);
        long before = voluntarySwitches();
        for (int i = 1; i <= 10; i++) {
            fault.onRequest(i);
        }
        long switches = voluntarySwitches() - before;
        assertEquals(CtxStormFault.RELAYS, countThreads("ctx-relay-"));
        assertTrue(switches >= 10L * CtxStormFault.HANDOFFS, switches + " voluntary switches for 10 requests");
    }

    private static long allocatedBy(SlowWorkerFault fault) {
        fault.onRequest(1);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        fault.onRequest(2);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static int countThreads(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static long openLeakFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).getFileName().toString().matches("leak-\\d+\\.dat");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** Summed over every thread: /proc/self/status counts only the main thread. */
    private static long voluntarySwitches() throws IOException {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }
}
