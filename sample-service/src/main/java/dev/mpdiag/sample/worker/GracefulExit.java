package dev.mpdiag.sample.worker;

/**
 * How a worker ends: every path (SIGTERM, DRAIN, an orphaned worker, System.exit anywhere) runs the
 * same shutdown hook, which stops accepting, lets in-flight requests finish and removes the control
 * socket. SIGTERM and DRAIN exit with status 0.
 */
final class GracefulExit {
    /** How long in-flight requests get when the supervisor is gone: short, to exit within 2 s. */
    static final long ORPHAN_STOP_MILLIS = 800;

    private final String name;
    private volatile SampleServer server;
    private volatile ControlServer control;
    private volatile long stopMillis = SampleServer.DEFAULT_STOP_MILLIS;
    private boolean done;

    GracefulExit(String name) {
        this.name = name;
    }

    /** Installs the shutdown hook and makes SIGTERM exit 0 through it. */
    void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "mpdiag-shutdown"));
        try {
            // The default SIGTERM handler exits with 143; a supervisor stopping its workers wants 0.
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> exit(0, "SIGTERM"));
        } catch (Throwable e) {
            System.err.println(name + ": cannot handle SIGTERM (" + e + "), it will exit 143");
        }
    }

    /** Registers the HTTP server; stops it at once if the shutdown already ran during startup. */
    void server(SampleServer s) {
        this.server = s;
        if (isDone()) {
            s.stop(stopMillis);
        }
    }

    /** Registers the control socket; closes it at once if the shutdown already ran during startup. */
    void control(ControlServer c) {
        this.control = c;
        if (isDone()) {
            c.close();
        }
    }

    private synchronized boolean isDone() {
        return done;
    }

    /** Exits the JVM from a new thread (callers may be the signal or control thread), through the shutdown hook. */
    void exit(int status, String reason) {
        Thread t = new Thread(() -> {
            System.err.println(name + ": " + reason + ", stopping");
            System.exit(status);
        }, "mpdiag-exit");
        t.setDaemon(true);
        t.start();
    }

    /** The supervisor died: stop with a short grace period. */
    void orphaned() {
        stopMillis = ORPHAN_STOP_MILLIS;
        exit(0, "parent process gone");
    }

    /** Removes the control socket first, so nobody talks to a stopping worker, then drains HTTP. */
    synchronized void shutdown() {
        if (done) {
            return;
        }
        done = true;
        ControlServer c = control;
        if (c != null) {
            c.close();
        }
        SampleServer s = server;
        if (s != null) {
            try {
                s.stop(stopMillis);
            } catch (RuntimeException e) {
                System.err.println(name + ": stopping HTTP failed: " + e);
            }
        }
    }
}
