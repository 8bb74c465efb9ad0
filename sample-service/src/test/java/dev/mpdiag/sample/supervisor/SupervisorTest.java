package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The restart loop with real child processes standing in for workers (/bin/sh), and short backoff
 * delays so a crash loop plays out in well under a second.
 */
@Timeout(30)
class SupervisorTest {
    /** 20 ms doubling, at most 3 restarts within 60 s. */
    private static RestartBackoff fast() {
        return new RestartBackoff(20, 200, 30_000, 3, 60_000);
    }

    private Path dir;
    private Supervisor supervisor;

    @BeforeEach
    void runDir() throws Exception {
        dir = Files.createTempDirectory("sup-test");
    }

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.stop(Duration.ofSeconds(2));
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void aCrashLoopingWorkerIsGivenUpWhileTheOthersKeepRunning() throws Exception {
        // worker 0 exits at once, every time; worker 1 runs until stopped
        supervisor = new Supervisor(2, List.of(), (index, faults) -> index == 0
                ? List.of("/bin/sh", "-c", "exit 3")
                : List.of("/bin/sh", "-c", "exec sleep 60"), dir, new ControlClient(Duration.ofMillis(200)), SupervisorTest::fast);
        supervisor.start();
        List<WorkerSlot.Snapshot> s = await(x -> x.get(0).state().equals("gave-up"));
        assertEquals(3, s.get(0).restarts(), "the first launch and 3 restarts, then no more");
        assertEquals(3, s.get(0).lastExitCode());
        assertFalse(s.get(0).alive());
        assertEquals("running", s.get(1).state());
        assertTrue(s.get(1).alive());
        assertEquals(0, s.get(1).restarts());

        Thread allGaveUp = awaitAllGaveUp();
        allGaveUp.join(300);
        assertTrue(allGaveUp.isAlive(), "one worker is still running");
        allGaveUp.interrupt();
    }

    @Test
    void whenEveryWorkerCrashLoopsThereIsNothingLeftToSupervise() throws Exception {
        supervisor = new Supervisor(2, List.of(), (index, faults) -> List.of("/bin/sh", "-c", "exit 1"), dir,
                new ControlClient(Duration.ofMillis(200)), SupervisorTest::fast);
        supervisor.start();
        Thread allGaveUp = awaitAllGaveUp();
        allGaveUp.join(10_000);
        assertFalse(allGaveUp.isAlive(), "awaitAllGaveUp returned");
        supervisor.snapshot().forEach(w -> assertEquals("gave-up", w.state()));
    }

    @Test
    void aRestartedWorkerIsStartedWithTheFaultsSwitchedOnForIt() throws Exception {
        // the stand-in worker dies after a moment; the supervisor restarts it with the faults of now
        AtomicReference<List<String>> lastFaults = new AtomicReference<>();
        supervisor = new Supervisor(1, List.of("fd-leak"), (index, faults) -> {
            lastFaults.set(List.copyOf(faults));
            return List.of("/bin/sh", "-c", "sleep 0.3; exit 1");
        }, dir, new ControlClient(Duration.ofMillis(200)), SupervisorTest::fast);
        supervisor.start();
        assertEquals(List.of("fd-leak"), lastFaults.get());
        List<Supervisor.Delivery> d = supervisor.relayFault("contention", true, null);
        assertEquals(1, d.size());
        assertFalse(d.get(0).ok(), "a stand-in has no control socket: " + d);
        await(x -> x.get(0).restarts() >= 1 && lastFaults.get().contains("contention"));
        assertEquals(List.of("fd-leak", "contention"), lastFaults.get());
        supervisor.relayFault("fd-leak", false, 0);
        assertEquals(List.of("contention"), supervisor.snapshot().get(0).faultsRequested());
    }

    @Test
    void stopSendsSigtermWhenDrainFailsAndReapsEveryChild() throws Exception {
        supervisor = new Supervisor(2, List.of(), (index, faults) -> List.of("/bin/sh", "-c", "exec sleep 60"), dir,
                new ControlClient(Duration.ofMillis(200)), SupervisorTest::fast);
        supervisor.start();
        List<WorkerSlot.Snapshot> s = await(x -> x.get(0).alive() && x.get(1).alive());
        long start = System.nanoTime();
        supervisor.stop(Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "SIGTERM ended them long before the stop timeout");
        for (WorkerSlot.Snapshot w : s) {
            assertNotNull(w.pid());
            assertFalse(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false), "pid " + w.pid());
        }
        supervisor.snapshot().forEach(w -> assertEquals("stopped", w.state()));
        assertEquals(143, supervisor.snapshot().get(0).lastExitCode(), "128 + SIGTERM");
    }

    /** A thread that ends when the supervisor says every worker gave up (or when interrupted). */
    private Thread awaitAllGaveUp() {
        Thread t = new Thread(() -> {
            try {
                supervisor.awaitAllGaveUp();
            } catch (InterruptedException e) {
                // the test is done with it
            }
        }, "await-all-gave-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private List<WorkerSlot.Snapshot> await(Predicate<List<WorkerSlot.Snapshot>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            List<WorkerSlot.Snapshot> s = supervisor.snapshot();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        return fail("condition not reached; last " + supervisor.snapshot());
    }
}
