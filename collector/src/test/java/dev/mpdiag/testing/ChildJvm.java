package dev.mpdiag.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM started by a test, its output in a log file; always destroyed by the test's cleanup. */
public final class ChildJvm implements AutoCloseable {
    public final Process process;
    public final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(Path log, List<String> args) throws IOException {
        return start(log, List.of(), args);
    }

    /** A child JVM run under a command prefix (such as taskset -c 0), which its own children inherit. */
    public static ChildJvm start(Path log, List<String> prefix, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Recordings.javaOf(System.getProperty("java.home")));
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(p, log);
    }

    /** The collector (target/mpdiag.jar) serving on 127.0.0.1:port from dataDir; see {@link CollectorLaunch}. */
    public static ChildJvm collector(int port, Path dataDir, Path log) throws Exception {
        return new CollectorLaunch(port, dataDir, log).start();
    }

    /** The collector from a given jar, with more serve options if given; see {@link CollectorLaunch}. */
    public static ChildJvm collector(Path jar, int port, Path dataDir, Path log, String... serveOptions) throws Exception {
        return new CollectorLaunch(port, dataDir, log).jar(jar).serveOptions(serveOptions).start();
    }

    /** A free loopback port (free when asked; a test that restarts a server on it reuses it at once). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit in " + seconds + " s: " + log);
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hooks, no flushing, like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (shutdown hooks run, as when a user stops it), then kill -9 when it does not stop in 10 s. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
