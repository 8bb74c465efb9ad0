package dev.mpdiag.agent;

/**
 * The agent's shutdown hook: the final cut and the last uploads, given at most exit.timeout. The work runs
 * on a daemon thread the hook waits for with that deadline, so a hanging collector cannot hold up exit.
 */
final class ExitHook implements Runnable {

    private final Cutter cutter;
    private final Sender sender;
    private final Spool spool;
    private final long timeoutMillis;

    ExitHook(Cutter cutter, Sender sender, Spool spool, long timeoutMillis) {
        this.cutter = cutter;
        this.sender = sender;
        this.spool = spool;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void run() {
        try {
            if (timeoutMillis <= 0) {
                return;
            }
            long start = System.nanoTime();
            long deadline = start + timeoutMillis * 1_000_000;
            Thread worker = new Thread(() -> finish(start, deadline), "mpagent-exit");
            worker.setDaemon(true);
            worker.start();
            worker.join(timeoutMillis);
            if (worker.isAlive()) {
                AgentLog.debug("exit.timeout of " + timeoutMillis + " ms reached with " + spool.size()
                        + " upload(s) unsent");
            }
            spool.discardAll();
        } catch (Throwable t) {
            // A shutdown hook that throws only prints a stack trace, but a guest prints one line at most.
            AgentLog.debug("exit: " + AgentLog.describe(t));
        }
    }

    private void finish(long start, long deadline) {
        try {
            // A third of the budget for the last cut and JFR's stop, the rest for sending.
            sender.hold();
            cutter.finish(start + (deadline - start) / 3);
            boolean delivered = sender.drain(deadline);
            AgentLog.debug("exit: " + (delivered ? "everything sent" : spool.size() + " upload(s) unsent")
                    + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (Throwable t) {
            AgentLog.debug("exit: " + AgentLog.describe(t));
        }
    }
}
