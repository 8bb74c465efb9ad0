package dev.mpdiag.soak;

import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The collector under load: {@code java -jar mpdiag.jar serve} in its own JVM on a loopback port, optionally
 * pinned to some CPUs with taskset (which execs java, so the process's pid is the JVM's, for /proc CPU time).
 */
final class CollectorProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;
    /** The taskset CPU list it runs on, or null when unpinned. */
    final String cpus;

    private CollectorProcess(Process process, int port, Path log, String cpus) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.cpus = cpus;
    }

    /** True when taskset can pin a process here. */
    static boolean canPin() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts it and waits until it answers; cpus null runs it unpinned. */
    static CollectorProcess start(Path jar, int port, Path data, Path log, String heap, String cpus) throws Exception {
        return start(jar, port, data, log, heap, cpus, List.of());
    }

    /** The same with more JVM options (e.g. -XX:StartFlightRecording to profile the collector under load). */
    static CollectorProcess start(Path jar, int port, Path data, Path log, String heap, String cpus, List<String> jvmOpts)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(Recordings.javaOf(System.getProperty("java.home")));
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOpts);
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve",
                "--port", Integer.toString(port), "--data", data.toString()));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CollectorProcess c = new CollectorProcess(p, port, log, cpus);
        Http http = new Http(port);
        long deadline = System.currentTimeMillis() + 90_000;
        try {
            while (System.currentTimeMillis() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("collector exited: " + Files.readString(log));
                }
                try {
                    if (http.get("/api/v1").status() == 200) {
                        return c;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("collector did not start in 90 s: " + Files.readString(log));
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    double cpuSeconds() {
        return ProcCpu.seconds(process.pid());
    }

    /** SIGTERM, then kill -9 when it does not stop in 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
