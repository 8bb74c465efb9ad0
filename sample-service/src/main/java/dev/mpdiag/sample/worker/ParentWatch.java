package dev.mpdiag.sample.worker;

/**
 * Ends a worker whose supervisor died: a daemon thread that polls the parent pid and runs
 * {@code onOrphaned} once it is no longer the original parent (the child was reparented) or gone.
 */
final class ParentWatch {
    static final long POLL_MILLIS = 200;

    private ParentWatch() {
    }

    /**
     * Starts watching {@code original}, the parent pid read first thing in main (read later, a parent that
     * died during startup would already have been replaced); false when there was no parent.
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

    static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
