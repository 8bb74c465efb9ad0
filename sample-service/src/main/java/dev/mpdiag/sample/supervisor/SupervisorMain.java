package dev.mpdiag.sample.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code supervise}: starts the admin server and N workers, and on SIGTERM or SIGINT (a shutdown hook)
 * stops and reaps every worker before the JVM exits.
 */
public final class SupervisorMain {
    /** How long one control request (STATUS, FAULT, DRAIN) may take before the worker counts as unreachable. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(2);

    private SupervisorMain() {
    }

    public static void main(String[] args) throws Exception {
        SupervisorOptions options;
        try {
            options = SupervisorOptions.parse(args);
        } catch (SupervisorOptions.BadOption e) {
            System.err.println("supervise: " + e.getMessage());
            System.err.println(SupervisorOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(SupervisorOptions.USAGE);
            return;
        }
        // Jetty's INFO lines on start and stop would drown the supervisor's own events; warnings stay
        if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        }
        Path runDir = Files.createTempDirectory("mpdiag-sup-"); // owner-only permissions on POSIX
        ControlClient control = new ControlClient(CONTROL_TIMEOUT);
        Supervisor supervisor = new Supervisor(options.workers, options.faults,
                WorkerCommand.forThisJvm(options, runDir), runDir, control);
        AdminServer admin = new AdminServer(supervisor, options.port, options.adminPort);
        try {
            admin.start();
        } catch (RuntimeException e) {
            System.err.println("supervise: cannot serve the admin API on 127.0.0.1:" + options.adminPort + ": " + rootMessage(e));
            deleteTree(runDir);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SupervisorLog.event("shutting down");
            admin.stop();
            supervisor.stop(options.stopTimeout);
            deleteTree(runDir);
        }, "supervisor-shutdown"));
        SupervisorLog.event("supervisor pid %d: %d worker(s) on %s:%d, admin on http://127.0.0.1:%d/supervisor/status,"
                        + " control sockets in %s", ProcessHandle.current().pid(), options.workers, options.host,
                options.port, options.adminPort, runDir);
        supervisor.start();
        supervisor.awaitAllGaveUp();
        System.exit(1);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
