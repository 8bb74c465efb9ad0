package dev.mpdiag.sample.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.sample.control.ControlProtocol;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {
    @Test
    void watchesTheSupervisorNamedInTheEnvironmentElseTheParent() {
        long parent = ParentWatch.parentPid();
        assertEquals(4242, ParentWatch.expectedParent(Map.of(ControlProtocol.SUPERVISOR_PID_ENV, " 4242 ")));
        assertEquals(parent, ParentWatch.expectedParent(Map.of()));
        assertEquals(parent, ParentWatch.expectedParent(Map.of(ControlProtocol.SUPERVISOR_PID_ENV, "nope")));
        assertEquals(parent, ParentWatch.expectedParent(Map.of(ControlProtocol.SUPERVISOR_PID_ENV, "-1")));
    }

    @Test
    void aWorkerWhoseParentIsAlreadyNotTheSupervisorIsOrphanedAtOnce() throws InterruptedException {
        // a live process that is not our parent: as if the supervisor had died and we had been reparented
        long notOurParent = ProcessHandle.current().pid();
        CountDownLatch orphaned = new CountDownLatch(1);
        assertTrue(ParentWatch.start(notOurParent, orphaned::countDown));
        assertTrue(orphaned.await(5, TimeUnit.SECONDS), "not orphaned although the parent is someone else");
    }

    @Test
    void aWorkerWhoseSupervisorIsItsParentKeepsRunning() throws InterruptedException {
        CountDownLatch orphaned = new CountDownLatch(1);
        assertTrue(ParentWatch.start(ParentWatch.parentPid(), orphaned::countDown));
        assertFalse(orphaned.await(3 * ParentWatch.POLL_MILLIS, TimeUnit.MILLISECONDS), "orphaned with its parent alive");
    }
}
