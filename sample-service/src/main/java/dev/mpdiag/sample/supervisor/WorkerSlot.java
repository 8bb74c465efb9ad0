package dev.mpdiag.sample.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * Worker index i across its restarts: the current process, how often it was restarted, the faults that
 * should be on in it (a restarted worker gets them again), and its restart backoff. Guarded by the
 * {@link Supervisor}'s lock.
 */
final class WorkerSlot {
    enum State { RUNNING, RESTARTING, GAVE_UP, STOPPED }

    /** What the admin API shows of one worker. */
    record Snapshot(int index, Long pid, boolean alive, String state, int restarts, long uptimeMillis,
                    String startedAt, Integer lastExitCode, List<String> faultsRequested) {
    }

    final int index;
    final RestartBackoff backoff;
    /** Faults that should be on in this worker, in the order they were switched on. */
    final Set<String> faults = new LinkedHashSet<>();
    Process process;
    State state = State.RESTARTING;
    int launches;
    long startedAtMillis;
    long startedNanos;
    Integer lastExitCode;
    ScheduledFuture<?> pendingRestart;

    WorkerSlot(int index, List<String> initialFaults, RestartBackoff backoff) {
        this.index = index;
        this.backoff = backoff;
        this.faults.addAll(initialFaults);
    }

    void started(Process p) {
        process = p;
        state = State.RUNNING;
        launches++;
        startedAtMillis = System.currentTimeMillis();
        startedNanos = System.nanoTime();
    }

    long ranMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    int restarts() {
        return Math.max(0, launches - 1);
    }

    Snapshot snapshot() {
        boolean alive = process != null && process.isAlive();
        return new Snapshot(index,
                process == null ? null : process.pid(),
                alive,
                state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                restarts(),
                alive ? ranMillis() : 0,
                process == null ? null : Instant.ofEpochMilli(startedAtMillis).toString(),
                lastExitCode,
                new ArrayList<>(faults));
    }
}
