package dev.mpdiag.sample.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The supervisor under faults, with three real worker JVMs serving real traffic on loopback: a worker
 * killed with -9, SIGTERM to the supervisor, the supervisor killed with -9, and the supervisor killed
 * while it starts a replacement. Every process of a run carries a unique {@code -D} marker on its command
 * line, so /proc tells whether any of them (or a zombie of one) is left; each test prints what it measured.
 */
@Timeout(value = 100, unit = TimeUnit.SECONDS)
class SupervisorFaultsIT {
    private static final int WORKERS = 3;
    private static final int CLIENTS = 3;
    /** Small heaps and C1 only: three workers, the supervisor and the clients share two busy cores. */
    private static final String SMALL_JVM = "-Xmx64m -Xms16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Longer than any test: the clients stop by themselves even if a test forgets them. */
    private static final Duration TRAFFIC_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private String marker;
    private SupervisorRun run;
    private Traffic traffic;

    @AfterEach
    void killEverythingOfThisRun() throws Exception {
        try {
            if (traffic != null) {
                traffic.close();
            }
        } finally {
            if (run != null) {
                run.close();
            }
            if (marker != null) {
                for (ProcTable.Proc p : ProcTable.withMarker(marker)) {
                    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    void aWorkerKilledWithSigkillIsReapedAndReplacedWhileTheOthersServe() throws Exception {
        JsonNode ready = startUnderLoad("faults-kill-worker");
        long supervisor = run.process.pid();
        long victim = pidOf(ready, 1);
        Set<Long> before = livePids(ProcTable.childrenOf(supervisor));
        assertEquals(Set.of(pidOf(ready, 0), victim, pidOf(ready, 2)), before, "the supervisor's children are its workers");

        Traffic.Counts atKill = traffic.counts();
        long killed = System.nanoTime();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        long reapedMs = -1;
        long relaunchedMs = -1;
        long replacement = -1;
        while (reapedMs < 0 || relaunchedMs < 0) {
            if (millisSince(killed) > 30_000) {
                fail("30 s after kill -9 of worker 1 (pid " + victim + "): " + (reapedMs < 0 ? "not reaped, "
                        + ProcTable.read(victim) : "no replacement") + "\n" + run.logText());
            }
            if (reapedMs < 0 && gone(victim)) {
                reapedMs = millisSince(killed);
            }
            if (relaunchedMs < 0) {
                for (long pid : livePids(ProcTable.childrenOf(supervisor))) {
                    if (!before.contains(pid)) {
                        replacement = pid;
                        relaunchedMs = millisSince(killed);
                    }
                }
            }
            Thread.sleep(5);
        }
        long newPid = replacement;
        JsonNode back = run.awaitStatus("worker 1 back and answering its control socket", Duration.ofSeconds(45), s -> {
            JsonNode w = worker(s, 1);
            return w.get("alive").asBoolean() && w.get("pid").asLong() == newPid && w.hasNonNull("faults");
        });
        long readyMs = millisSince(killed);
        Traffic.Counts outage = traffic.counts().minus(atKill);
        run.trackWorker(newPid);

        assertTrue(gone(victim), "the killed worker is gone, not a zombie: " + ProcTable.read(victim));
        assertEquals(List.of(), zombies(ProcTable.childrenOf(supervisor)), "no zombie child of the supervisor");
        assertEquals(Set.of(pidOf(ready, 0), newPid, pidOf(ready, 2)), livePids(ProcTable.childrenOf(supervisor)),
                "three live workers again: the two untouched ones and the replacement");
        assertEquals(WORKERS + 1, live(ProcTable.withMarker(marker)).size(),
                "the supervisor and three workers are all of this run: " + ProcTable.withMarker(marker));
        JsonNode w1 = worker(back, 1);
        assertEquals(1, w1.get("restarts").asInt(), back.toString());
        assertEquals(137, w1.get("lastExitCode").asInt(), "128 + SIGKILL: " + back);
        assertEquals(pidOf(ready, 0), pidOf(back, 0), "worker 0 was left alone");
        assertEquals(pidOf(ready, 2), pidOf(back, 2), "worker 2 was left alone");
        assertTrue(outage.ok() > 0, "the other workers kept answering while worker 1 was down: " + outage);

        String replacementKey = "1/" + newPid;
        long servedMs = awaitServedBy(replacementKey, Duration.ofSeconds(30));
        traffic.close();
        Traffic.Counts total = traffic.counts();
        // each client holds one connection at a time, so the dead worker fails about one request per client
        // (in flight or in its accept queue when it died), twice at most if a client reconnects to it while
        // the kernel is still tearing it down; a restart storm or lost workers would fail hundreds
        assertTrue(outage.failed() <= 2 * CLIENTS, "requests failed by the kill: " + outage);
        assertEquals(List.of(), zombies(ProcTable.childrenOf(supervisor)), "still no zombie child of the supervisor");

        report("kill -9 worker 1 (pid %d) under load: reaped (gone from /proc) after %d ms, replacement pid %d"
                        + " started after %d ms, ready after %d ms, first answer from it after %d ms; while it was down"
                        + " (%d ms): %s; whole test: %s",
                victim, reapedMs, newPid, relaunchedMs, readyMs, servedMs, readyMs, outage, total);
    }

    @Test
    void sigtermUnderLoadStopsAndReapsEveryWorkerAndExits143() throws Exception {
        JsonNode ready = startUnderLoad("faults-sigterm", "--stop-timeout", STOP_TIMEOUT.toSeconds() + "s");
        List<Long> workers = List.of(pidOf(ready, 0), pidOf(ready, 1), pidOf(ready, 2));
        Traffic.Counts atTerm = traffic.counts();

        long termed = System.nanoTime();
        run.process.destroy(); // SIGTERM
        // the bound: the stop timeout, then SIGKILL and its 5 s wait, plus the JVM's own exit
        assertTrue(run.process.waitFor(STOP_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS),
                "the supervisor is still running " + (STOP_TIMEOUT.toSeconds() + 15) + " s after SIGTERM\n" + run.logText());
        long exitMs = millisSince(termed);
        Traffic.Counts duringStop = traffic.counts().minus(atTerm);
        List<ProcTable.Proc> left = ProcTable.withMarker(marker);

        assertEquals(143, run.process.exitValue(), "128 + SIGTERM, as the usage says\n" + run.logText());
        assertEquals(List.of(), left, "no process of this run is left once the supervisor has exited");
        for (long pid : workers) {
            assertTrue(gone(pid), "worker pid " + pid + " after the supervisor exited: " + ProcTable.read(pid));
        }
        String log = run.logText();
        for (int i = 0; i < WORKERS; i++) {
            assertTrue(log.contains("worker " + i + " (pid " + workers.get(i) + ") stopped, exit code 0"),
                    "worker " + i + " drained and exited 0\n" + log);
        }
        assertFalse(log.contains("killing it"), "every worker drained before the stop timeout\n" + log);
        assertTrue(atTerm.ok() > 0, "traffic was answered before SIGTERM: " + atTerm);
        // a draining worker finishes every answer it has begun; what it never accepted may be refused or reset
        assertEquals(0, duringStop.failed(Traffic.CUT_SHORT) + duringStop.failed(Traffic.TIMED_OUT),
                "answers cut short or hung while the workers drained: " + duringStop);

        traffic.close();
        report("SIGTERM to the supervisor under load: it exited %d ms later with code %d, all %d workers drained"
                        + " (exit code 0) and reaped, 0 processes of the run left; requests while stopping: %s",
                exitMs, run.process.exitValue(), WORKERS, duringStop);
    }

    @Test
    void workersOfASupervisorKilledWithSigkillExitByThemselves() throws Exception {
        JsonNode ready = startUnderLoad("faults-kill-supervisor");
        List<Long> workers = List.of(pidOf(ready, 0), pidOf(ready, 1), pidOf(ready, 2));
        Traffic.Counts atKill = traffic.counts();

        long killed = killSupervisor();
        Map<Long, Long> newParents = parents(workers);
        Map<Long, Long> exitMs = awaitAllExit(workers, killed, Duration.ofSeconds(15));
        Traffic.Counts afterKill = traffic.counts().minus(atKill);
        long reapedMs = awaitNoneLeft(workers, killed, Duration.ofSeconds(15));

        assertTrue(atKill.ok() > 0, "traffic was answered before the kill: " + atKill);
        traffic.close();
        report("kill -9 of the supervisor under load: its %d workers (reparented to %s) exited by themselves after"
                        + " %s ms, none left in /proc (no zombie) after %d ms; requests after the kill: %s",
                WORKERS, newParents.values(), exitMs.values(), reapedMs, afterKill);
    }

    @Test
    void aSupervisorKilledWhileStartingAReplacementLeavesNoOrphan() throws Exception {
        JsonNode ready = startUnderLoad("faults-kill-supervisor-at-restart");
        long supervisor = run.process.pid();
        long victim = pidOf(ready, 0);
        Set<Long> known = livePids(ProcTable.childrenOf(supervisor));

        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        long killedWorker = System.nanoTime();
        // the moment the replacement exists, before its JVM has reached main: the supervisor dies now
        long newborn = awaitNewChild(supervisor, known);
        long bornMs = millisSince(killedWorker);
        long ageMs = ProcTable.ageMillis(newborn);
        long killed = killSupervisor();
        List<Long> orphans = List.of(newborn, pidOf(ready, 1), pidOf(ready, 2));
        run.trackWorker(newborn);
        Map<Long, Long> exitMs = awaitAllExit(orphans, killed, Duration.ofSeconds(20));
        long reapedMs = awaitNoneLeft(orphans, killed, Duration.ofSeconds(15));

        traffic.close();
        report("kill -9 of the supervisor when worker 0's replacement (pid %d, seen %d ms after worker 0 was killed)"
                        + " was about %d ms old: the replacement and the 2 other workers exited after %s ms, none left"
                        + " in /proc after %d ms", newborn, bornMs, ageMs, exitMs.values(), reapedMs);
    }

    @Test
    void sigtermWhileAReplacementStartsStopsItTooAndStartsNoOther() throws Exception {
        JsonNode ready = startUnderLoad("faults-sigterm-at-restart", "--stop-timeout", STOP_TIMEOUT.toSeconds() + "s");
        long supervisor = run.process.pid();
        long victim = pidOf(ready, 2);
        Set<Long> known = livePids(ProcTable.childrenOf(supervisor));

        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        // SIGTERM while the replacement's JVM is still starting: it has no control socket to take DRAIN yet
        long newborn = awaitNewChild(supervisor, known);
        run.trackWorker(newborn);
        long ageMs = ProcTable.ageMillis(newborn);
        long termed = System.nanoTime();
        run.process.destroy();
        assertTrue(run.process.waitFor(STOP_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS),
                "the supervisor is still running " + (STOP_TIMEOUT.toSeconds() + 15) + " s after SIGTERM\n" + run.logText());
        long exitMs = millisSince(termed);

        assertEquals(143, run.process.exitValue(), run.logText());
        assertEquals(List.of(), ProcTable.withMarker(marker), "no process of this run is left");
        for (long pid : List.of(pidOf(ready, 0), pidOf(ready, 1), newborn)) {
            assertTrue(gone(pid), "pid " + pid + " after the supervisor exited: " + ProcTable.read(pid));
        }
        String log = run.logText();
        assertTrue(log.contains("worker 2 (pid " + newborn + ") stopped, exit code"), "the replacement was stopped\n" + log);
        assertFalse(log.contains("(restart 2)"), "no further replacement after SIGTERM\n" + log);
        String newbornEnd = log.lines().filter(l -> l.contains("worker 2 (pid " + newborn + ")")).map(l -> l.substring(l.indexOf("] ") + 2))
                .reduce((a, b) -> a + "; " + b).orElse("");

        traffic.close();
        report("SIGTERM when worker 2's replacement (pid %d) was about %d ms old: the supervisor exited %d ms later with"
                + " code %d, 0 processes of the run left; the replacement: %s", newborn, ageMs, exitMs, run.process.exitValue(),
                newbornEnd);
    }

    // ---- the run

    /** A supervisor with three ready workers and clients sending traffic, every process carrying the marker. */
    private JsonNode startUnderLoad(String name, String... extraArgs) throws Exception {
        marker = "mpdiag.faults-it=" + name + "-" + Long.toHexString(System.nanoTime());
        List<String> args = new ArrayList<>(List.of("--workers", Integer.toString(WORKERS),
                "--jvm-opts", SMALL_JVM + " -D" + marker));
        args.addAll(List.of(extraArgs));
        List<String> supervisorJvm = new ArrayList<>(List.of(SMALL_JVM.split(" ")));
        supervisorJvm.add("-D" + marker);
        long started = System.nanoTime();
        run = SupervisorRun.start(name, supervisorJvm, args.toArray(String[]::new));
        JsonNode ready = run.awaitStatus(WORKERS + " ready workers", READY_TIMEOUT, SupervisorFaultsIT::allReady);
        long readyMs = millisSince(started);
        traffic = Traffic.start(run.port, "/api/hello", CLIENTS, TRAFFIC_LIMIT);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (traffic.counts().ok() < 100) {
            if (System.nanoTime() - deadline > 0) {
                fail("fewer than 100 requests answered in 30 s: " + traffic.counts() + "\n" + run.logText());
            }
            Thread.sleep(20);
        }
        report("%s: supervisor pid %d with %d workers ready after %d ms, traffic flowing: %s", name,
                run.process.pid(), WORKERS, readyMs, traffic.counts());
        return ready;
    }

    private static boolean allReady(JsonNode status) {
        JsonNode ws = status.get("workers");
        if (ws.size() != WORKERS) {
            return false;
        }
        for (JsonNode w : ws) {
            if (!w.get("alive").asBoolean() || !w.hasNonNull("faults")) {
                return false;
            }
        }
        return true;
    }

    /** SIGKILL to the supervisor; returns the moment it was reaped, when its children are reparented. */
    private long killSupervisor() throws InterruptedException {
        run.process.destroyForcibly();
        assertTrue(run.process.waitFor(10, TimeUnit.SECONDS), "the supervisor survived SIGKILL for 10 s");
        return System.nanoTime();
    }

    /** Polls (every 2 ms, up to 30 s) for a live child of {@code parent} not in {@code known}: a replacement just forked. */
    private long awaitNewChild(long parent, Set<Long> known) throws Exception {
        long start = System.nanoTime();
        while (millisSince(start) < 30_000) {
            for (ProcTable.Proc p : ProcTable.childrenOf(parent)) {
                if (!p.zombie() && !known.contains(p.pid())) {
                    return p.pid();
                }
            }
            Thread.sleep(2);
        }
        return fail("no new child of the supervisor within 30 s\n" + run.logText());
    }

    /** Waits until none of {@code pids} runs (a zombie has exited); each one's exit time since {@code since}. */
    private Map<Long, Long> awaitAllExit(List<Long> pids, long since, Duration bound) throws Exception {
        Map<Long, Long> exitMs = new LinkedHashMap<>();
        while (exitMs.size() < pids.size()) {
            for (long pid : pids) {
                if (!exitMs.containsKey(pid) && !running(pid)) {
                    exitMs.put(pid, millisSince(since));
                }
            }
            if (exitMs.size() < pids.size() && millisSince(since) > bound.toMillis()) {
                List<ProcTable.Proc> still = new ArrayList<>();
                for (long pid : pids) {
                    if (!exitMs.containsKey(pid)) {
                        still.add(ProcTable.read(pid));
                    }
                }
                fail("orphaned workers still running " + bound.toSeconds() + " s after the supervisor was killed: "
                        + still + "\n" + run.logText());
            }
            Thread.sleep(10);
        }
        return exitMs;
    }

    /** Waits until no process of the run is left at all, zombies included (init reaps the orphans). */
    private long awaitNoneLeft(List<Long> pids, long since, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<ProcTable.Proc> left = new ArrayList<>(ProcTable.withMarker(marker));
            for (long pid : pids) {
                if (!gone(pid)) {
                    ProcTable.Proc p = ProcTable.read(pid);
                    if (p != null && !left.contains(p)) {
                        left.add(p);
                    }
                }
            }
            if (left.isEmpty()) {
                return millisSince(since);
            }
            if (System.nanoTime() - deadline > 0) {
                fail("processes of this run still in /proc " + bound.toSeconds() + " s after they exited: " + left);
            }
            Thread.sleep(10);
        }
    }

    /** Polls until the traffic has been answered by {@code workerKey} ("index/pid"); ms it took from now. */
    private long awaitServedBy(String workerKey, Duration bound) throws Exception {
        long start = System.nanoTime();
        while (!traffic.counts().byWorker().containsKey(workerKey)) {
            if (millisSince(start) > bound.toMillis()) {
                fail("no answer from " + workerKey + " within " + bound + ": " + traffic.counts());
            }
            Thread.sleep(10);
        }
        return millisSince(start);
    }

    // ---- /proc

    /** Running: in /proc, not a zombie, and ours (a pid can be reused once it is free). */
    private boolean running(long pid) throws IOException {
        ProcTable.Proc p = ProcTable.read(pid);
        return p != null && !p.zombie() && p.cmdline().contains(marker);
    }

    /** Gone: no such process, not even a zombie (a reused pid belongs to a stranger, not a zombie of ours). */
    private boolean gone(long pid) throws IOException {
        ProcTable.Proc p = ProcTable.read(pid);
        return p == null || (!p.zombie() && !p.cmdline().contains(marker));
    }

    private static Map<Long, Long> parents(List<Long> pids) throws IOException {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (long pid : pids) {
            ProcTable.Proc p = ProcTable.read(pid);
            out.put(pid, p == null ? -1 : p.ppid());
        }
        return out;
    }

    private static Set<Long> livePids(List<ProcTable.Proc> procs) {
        Set<Long> out = new HashSet<>();
        for (ProcTable.Proc p : live(procs)) {
            out.add(p.pid());
        }
        return out;
    }

    private static List<ProcTable.Proc> live(List<ProcTable.Proc> procs) {
        return procs.stream().filter(p -> !p.zombie()).toList();
    }

    private static List<ProcTable.Proc> zombies(List<ProcTable.Proc> procs) {
        return procs.stream().filter(ProcTable.Proc::zombie).toList();
    }

    // ---- status and output

    private static JsonNode worker(JsonNode status, int index) {
        for (JsonNode w : status.get("workers")) {
            if (w.get("index").asInt() == index) {
                return w;
            }
        }
        throw new AssertionError("no worker " + index + " in " + status);
    }

    private static long pidOf(JsonNode status, int index) {
        long pid = worker(status, index).get("pid").asLong();
        assertNotEquals(0, pid, status.toString());
        return pid;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The measured figures, one line each, in the failsafe output. */
    private static void report(String format, Object... args) {
        System.out.println("[supervisor-faults] " + String.format(Locale.ROOT, format, args));
    }
}
