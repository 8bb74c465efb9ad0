package dev.mpdiag.sample.supervisor;

import dev.mpdiag.sample.control.ControlProtocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps N worker processes running: starts them, restarts one that dies (with backoff, up to the
 * crash-loop limit), relays fault switches to them over their control sockets, and stops them all on
 * shutdown, killing what does not stop in time and waiting for every one so none is left a zombie.
 */
final class Supervisor {
    /** A stopped worker exits within this after SIGKILL; waiting longer would only hide a kernel problem. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    /** One worker's answer to a control request: not ok when it is down, unreachable, or replied ERR. */
    record Delivery(int index, Long pid, boolean ok, String reply) {
    }

    private final WorkerCommandLine command;
    private final Path controlDir;
    private final ControlClient control;
    private final List<WorkerSlot> slots = new ArrayList<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor-restarts");
        t.setDaemon(true);
        return t;
    });
    /** Control requests block for up to the control timeout each; they run here, one thread per request. */
    private final ExecutorService controlIo = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "supervisor-control");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch allGaveUp = new CountDownLatch(1);
    private boolean stopping;

    Supervisor(int workers, List<String> faults, WorkerCommandLine command, Path controlDir, ControlClient control) {
        this(workers, faults, command, controlDir, control, RestartBackoff::new);
    }

    /** {@code backoffs} makes one restart policy per worker (tests use short delays). */
    Supervisor(int workers, List<String> faults, WorkerCommandLine command, Path controlDir, ControlClient control,
               Supplier<RestartBackoff> backoffs) {
        this.command = command;
        this.controlDir = controlDir;
        this.control = control;
        for (int i = 0; i < workers; i++) {
            slots.add(new WorkerSlot(i, faults, backoffs.get()));
        }
    }

    int size() {
        return slots.size();
    }

    Path socketOf(int index) {
        return ControlProtocol.socketPath(controlDir, index);
    }

    synchronized void start() {
        for (WorkerSlot slot : slots) {
            launch(slot);
        }
    }

    /** Returns when every worker has hit the crash-loop limit: nothing is left to supervise. */
    void awaitAllGaveUp() throws InterruptedException {
        allGaveUp.await();
    }

    synchronized List<WorkerSlot.Snapshot> snapshot() {
        List<WorkerSlot.Snapshot> out = new ArrayList<>(slots.size());
        for (WorkerSlot slot : slots) {
            out.add(slot.snapshot());
        }
        return out;
    }

    /** Caller holds the lock. */
    private void launch(WorkerSlot slot) {
        slot.pendingRestart = null;
        if (stopping) {
            return;
        }
        List<String> cmd = command.build(slot.index, slot.faults);
        try {
            // a worker killed with -9 leaves its socket file behind; its successor must be able to bind
            Files.deleteIfExists(socketOf(slot.index));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("MP_ROLE", "worker");
            pb.environment().put("MP_WORKER_INDEX", Integer.toString(slot.index));
            pb.environment().put(ControlProtocol.SUPERVISOR_PID_ENV, Long.toString(ProcessHandle.current().pid()));
            Process p = pb.start();
            slot.started(p);
            OutputPrefixer.start(p.getInputStream(), System.out, slot.index, "stdout");
            OutputPrefixer.start(p.getErrorStream(), System.err, slot.index, "stderr");
            SupervisorLog.event("worker %d started, pid %d%s%s", slot.index, p.pid(),
                    slot.restarts() > 0 ? " (restart " + slot.restarts() + ")" : "",
                    slot.faults.isEmpty() ? "" : ", faults " + String.join(",", slot.faults));
            p.onExit().thenAcceptAsync(exited -> onExit(slot, exited), restarts);
        } catch (IOException | RuntimeException e) {
            SupervisorLog.event("worker %d could not be started: %s (command: %s)", slot.index, e, String.join(" ", cmd));
            slot.launches++;
            slot.process = null;
            slot.startedNanos = System.nanoTime();
            scheduleRestart(slot);
        }
    }

    private synchronized void onExit(WorkerSlot slot, Process exited) {
        if (slot.process != exited) {
            return;
        }
        int code = exited.exitValue();
        slot.lastExitCode = code;
        String how = code > 128 ? "was killed by signal " + (code - 128) : "exited with code " + code;
        if (stopping) {
            slot.state = WorkerSlot.State.STOPPED;
            return; // stop() logs it, before the JVM exits
        }
        SupervisorLog.event("worker %d (pid %d) %s after %.1f s, unexpectedly", slot.index, exited.pid(), how,
                slot.ranMillis() / 1000.0);
        scheduleRestart(slot);
    }

    /** Caller holds the lock. */
    private void scheduleRestart(WorkerSlot slot) {
        long delay = slot.backoff.nextDelayMillis(System.currentTimeMillis(), slot.ranMillis());
        if (delay == RestartBackoff.GIVE_UP) {
            slot.state = WorkerSlot.State.GAVE_UP;
            SupervisorLog.event("worker %d died again after %d restarts within %d s: crash loop, not restarting it;"
                            + " the other workers keep running", slot.index, slot.backoff.maxRestarts(),
                    slot.backoff.windowMillis() / 1000);
            if (slots.stream().allMatch(s -> s.state == WorkerSlot.State.GAVE_UP)) {
                SupervisorLog.event("every worker is in a crash loop: nothing left to supervise");
                allGaveUp.countDown();
            }
            return;
        }
        slot.state = WorkerSlot.State.RESTARTING;
        SupervisorLog.event("restarting worker %d in %d ms", slot.index, delay);
        slot.pendingRestart = restarts.schedule(() -> {
            synchronized (this) {
                launch(slot);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Switches a fault on or off in every worker ({@code index} null) or in one. The wish is remembered
     * first, so a worker that is down now gets it when it is restarted.
     */
    List<Delivery> relayFault(String fault, boolean on, Integer index) {
        List<WorkerSlot> targets = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        synchronized (this) {
            for (WorkerSlot slot : slots) {
                if (index == null || slot.index == index) {
                    if (on) {
                        slot.faults.add(fault);
                    } else {
                        slot.faults.remove(fault);
                    }
                    targets.add(slot);
                    processes.add(slot.process);
                }
            }
        }
        SupervisorLog.event("fault %s %s for %s", fault, on ? "on" : "off", index == null ? "every worker" : "worker " + index);
        return askAll(targets, processes, ControlProtocol.FAULT + " " + fault + " " + (on ? "on" : "off"),
                "worker is not running; it gets the change when it is restarted");
    }

    /** Every worker's own STATUS line (JSON), or why there is none. */
    List<Delivery> workerStatus() {
        List<WorkerSlot> targets;
        List<Process> processes = new ArrayList<>();
        synchronized (this) {
            targets = List.copyOf(slots);
            for (WorkerSlot slot : slots) {
                processes.add(slot.process);
            }
        }
        return askAll(targets, processes, ControlProtocol.STATUS, "worker is not running");
    }

    /**
     * Sends one control line to each target at once, on the supervisor's own threads (the calls block on
     * I/O for up to the control timeout, which has no place in the common fork-join pool); answers in order.
     */
    private List<Delivery> askAll(List<WorkerSlot> targets, List<Process> processes, String line, String notRunning) {
        List<CompletableFuture<Delivery>> futures = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            int index = targets.get(i).index;
            Process p = processes.get(i);
            futures.add(CompletableFuture.supplyAsync(() -> ask(index, p, line, notRunning), controlIo));
        }
        List<Delivery> out = new ArrayList<>();
        for (CompletableFuture<Delivery> f : futures) {
            out.add(f.join());
        }
        return out;
    }

    private Delivery ask(int index, Process p, String line, String notRunning) {
        if (p == null || !p.isAlive()) {
            return new Delivery(index, p == null ? null : p.pid(), false, notRunning);
        }
        try {
            String reply = control.send(socketOf(index), line);
            return new Delivery(index, p.pid(), !reply.startsWith(ControlProtocol.ERR), reply);
        } catch (IOException e) {
            return new Delivery(index, p.pid(), false, e.getMessage());
        }
    }

    /**
     * Stops every worker: DRAIN over its control socket (SIGTERM if that fails), up to {@code timeout} for
     * them to exit, then SIGKILL; returns once every worker has been reaped.
     */
    void stop(Duration timeout) {
        List<WorkerSlot> running = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            for (WorkerSlot slot : slots) {
                if (slot.pendingRestart != null) {
                    slot.pendingRestart.cancel(false);
                    slot.pendingRestart = null;
                }
                if (slot.process != null && slot.process.isAlive()) {
                    running.add(slot);
                } else {
                    slot.state = WorkerSlot.State.STOPPED;
                }
            }
        }
        SupervisorLog.event("stopping %d worker(s): drain, then kill after %d ms", running.size(), timeout.toMillis());
        List<Process> processes = new ArrayList<>();
        running.forEach(slot -> processes.add(slot.process));
        List<Delivery> drained = askAll(running, processes, ControlProtocol.DRAIN, "worker is not running");
        for (int i = 0; i < running.size(); i++) {
            Delivery d = drained.get(i);
            if (!d.ok()) {
                SupervisorLog.event("worker %d did not take DRAIN (%s): sending SIGTERM", d.index(), d.reply());
                processes.get(i).destroy();
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (WorkerSlot slot : running) {
            waitFor(slot.process, deadline);
        }
        for (WorkerSlot slot : running) {
            if (slot.process.isAlive()) {
                SupervisorLog.event("worker %d (pid %d) still running after %d ms: killing it", slot.index,
                        slot.process.pid(), timeout.toMillis());
                slot.process.destroyForcibly();
            }
        }
        long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (WorkerSlot slot : running) {
            Process p = slot.process;
            if (waitFor(p, killDeadline)) {
                SupervisorLog.event("worker %d (pid %d) stopped, exit code %d", slot.index, p.pid(), p.exitValue());
                synchronized (this) {
                    slot.lastExitCode = p.exitValue();
                    slot.state = WorkerSlot.State.STOPPED;
                }
            } else {
                SupervisorLog.event("worker %d (pid %d) did not exit after SIGKILL", slot.index, p.pid());
            }
        }
        SupervisorLog.event("all workers stopped");
    }

    /** Waits until p has exited and been reaped, or the deadline passes. */
    private static boolean waitFor(Process p, long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            return p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
