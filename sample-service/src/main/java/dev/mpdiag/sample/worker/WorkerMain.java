package dev.mpdiag.sample.worker;

import dev.mpdiag.sample.control.ControlProtocol;
import dev.mpdiag.sample.worker.fault.FaultSwitchboard;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One worker process: the sample API on a port shared with the other workers (SO_REUSEPORT), a control
 * socket for the supervisor, and an exit of its own when the supervisor dies.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        long parent = ParentWatch.expectedParent(System.getenv());
        WorkerOptions opts = parseOrExit(args, true, "worker");
        if (opts.help()) {
            System.out.println(WorkerOptions.WORKER_USAGE);
            return;
        }
        quietJetty();
        String name = "worker " + opts.index();
        WorkerState state = new WorkerState(opts.index());
        FaultSwitchboard faults = switchboard(opts);
        GracefulExit exit = new GracefulExit(name);
        exit.install();
        // Watched from before the slow part of startup, so a supervisor dying meanwhile is noticed.
        if ("worker".equals(System.getenv("MP_ROLE")) && !ParentWatch.start(parent, exit::orphaned)) {
            System.err.println(name + ": no parent process to watch");
        }
        exit.server(startHttp(name, opts, true, state, faults));
        if (opts.controlDir() != null) {
            Path socket = ControlProtocol.socketPath(opts.controlDir(), opts.index());
            ControlCommands commands = new ControlCommands(state, faults, () -> exit.exit(0, "DRAIN"));
            try {
                exit.control(ControlServer.start(socket, commands));
            } catch (IOException | UnsupportedOperationException e) {
                System.err.println(name + ": cannot listen on control socket " + socket + ": " + e);
                System.exit(1);
            }
        }
        System.out.printf("%s pid %d listening on %s:%d (SO_REUSEPORT)%s%s%n", name, state.pid(), opts.host(), state.port(),
                opts.controlDir() == null ? "" : ", control " + ControlProtocol.socketPath(opts.controlDir(), opts.index()),
                opts.faults().isEmpty() ? "" : ", faults " + String.join(",", opts.faults()));
    }

    static WorkerOptions parseOrExit(String[] args, boolean worker, String command) {
        try {
            return WorkerOptions.parse(args, worker, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage() + " (try " + command + " --help)");
            System.exit(2);
            return null;
        }
    }

    static FaultSwitchboard switchboard(WorkerOptions opts) {
        FaultSwitchboard faults = new FaultSwitchboard(opts.index());
        for (String f : opts.faults()) {
            faults.set(f, true);
        }
        return faults;
    }

    /** Starts HTTP or exits 1 with one line when the port cannot be bound. */
    static SampleServer startHttp(String name, WorkerOptions opts, boolean reusePort, WorkerState state, FaultSwitchboard faults) {
        try {
            SampleServer server = SampleServer.start(opts.host(), opts.port(), reusePort, new SampleApi(state, faults));
            state.port(server.port());
            return server;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println(name + ": cannot serve HTTP on " + opts.host() + ":" + opts.port() + ": " + root);
            System.exit(1);
            return null;
        }
    }

    /** Jetty's INFO lines per start and stop are noise in the supervisor's log; warnings stay. */
    static void quietJetty() {
        if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        }
    }
}
