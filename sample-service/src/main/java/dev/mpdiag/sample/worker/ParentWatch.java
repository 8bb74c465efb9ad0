package dev.mpdiag.sample.worker;

import dev.mpdiag.sample.control.ControlProtocol;
import java.util.Map;

/**
 * Ends a worker whose supervisor died: a daemon thread that polls the parent pid and runs
 * {@code onOrphaned} once it is no longer the original parent (the child was reparented) or gone.
 */
final class ParentWatch {
    static final long POLL_MILLIS = 200;

    private ParentWatch() {
    }

    /**
     * Starts watching {@code original}, from {@link #expectedParent} first thing in main (read later, a parent
     * that died during startup would already have been replaced); false when there was no parent. A worker
     * whose parent is already not {@code original} is orphaned at the first check.
     */
    static boolean start(long original, Runnable onOrphaned) {
        if (original <= 0) {
            return false;
        }
        Thread t = new Thread(() -> {
            try {
                while (parentPid() == original && ProcessHandle.of(original).map(ProcessHandle::isAlive).orElse(false)) {
                    Thread.sleep(POLL_MILLIS);
                }
                onOrphaned.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mpdiag-parent-watch");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /**
     * The pid to watch: the supervisor's from {@link ControlProtocol#SUPERVISOR_PID_ENV} when it is set, else
     * this process's parent now. Reading the parent in main alone misses a supervisor killed while this JVM
     * was starting: by then the worker has been reparented and would watch its new parent forever.
     */
    static long expectedParent(Map<String, String> env) {
        String v = env.get(ControlProtocol.SUPERVISOR_PID_ENV);
        if (v != null) {
            try {
                long pid = Long.parseLong(v.trim());
                if (pid > 0) {
                    return pid;
                }
            } catch (NumberFormatException e) {
                // not ours to trust: fall back to the parent
            }
            System.err.println("ignoring " + ControlProtocol.SUPERVISOR_PID_ENV + "='" + v + "': not a pid");
        }
        return parentPid();
    }

    static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
