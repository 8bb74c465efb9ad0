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

    @Test
    void allocBurstAllocatesMegabytesPerRequest() {
        AllocBurstFault fault = new AllocBurstFault();
        fault.onRequest(0);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        fault.onRequest(1);
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(bytes >= (long) AllocBurstFault.BUFFERS_PER_REQUEST * AllocBurstFault.BUFFER_BYTES, bytes + " bytes");
    }

    @Test
    void heapLeakKeepsSessionsUntilItsCap() {
        HeapLeakFault fault = new HeapLeakFault(10L * HeapLeakFault.SESSION_BYTES);
        int before = HeapLeakFault.SESSIONS.size();
        for (long seq = 1_000_000; seq < 1_000_020; seq++) {
            fault.onRequest(seq);
        }
        assertEquals(10, HeapLeakFault.SESSIONS.size() - before, "grows by one session a request, then stops at the cap");
        HeapLeakFault.SESSIONS.keySet().removeIf(k -> k >= 1_000_000);
    }

    @Test
    void threadLeakStartsParkedThreadsEveryNRequests() throws Exception {
        ThreadLeakFault fault = new ThreadLeakFault();
        int before = countThreads("leaky-worker-");
        for (long seq = 1; seq <= 3 * ThreadLeakFault.EVERY; seq++) {
            fault.onRequest(seq);
        }
        assertEquals(3, fault.started());
        assertEquals(3, countThreads("leaky-worker-") - before);
    }

    @Test
    void fdLeakKeepsFilesOpen() throws IOException {
        FdLeakFault fault = new FdLeakFault();
        long before = openLeakFiles();
        for (long seq = 1; seq <= 4 * FdLeakFault.EVERY; seq++) {
            fault.onRequest(seq);
        }
        assertEquals(4, fault.openFiles());
        assertEquals(4, openLeakFiles() - before, "four more leak-<n>.dat descriptors in /proc/self/fd");
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
