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

    /** The collector (target/mpdiag.jar) serving on 127.0.0.1:port from dataDir. */
    public static ChildJvm collector(int port, Path dataDir, Path log) throws Exception {
        return collector(Path.of("target", "mpdiag.jar"), port, dataDir, log);
    }

    /**
     * The collector from a given jar (a copy, for a long test that must not see the jar rebuilt under it), with
     * more serve options if given; ready once it answers (a collector with a token answers 401).
     */
    public static ChildJvm collector(Path jar, int port, Path dataDir, Path log, String... serveOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Xmx512m", "-jar", jar.toAbsolutePath().toString(),
                "serve", "--port", Integer.toString(port), "--data", dataDir.toString()));
        args.addAll(List.of(serveOptions));
        ChildJvm c = start(log, args);
        Http http = new Http(port);
        // Generous: on a loaded machine a JVM with a 12 MB jar can take many seconds to listen.
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!c.process.isAlive()) {
                throw new IllegalStateException("collector exited: " + c.output());
            }
            try {
                int status = http.get("/api/v1").status();
                if (status == 200 || status == 401) {
                    return c;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        c.close();
        throw new IllegalStateException("collector did not start in 90 s: " + c.output());
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

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
