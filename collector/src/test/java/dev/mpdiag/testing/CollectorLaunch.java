package dev.mpdiag.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests and benchmarks start a collector child ({@code java -jar mpdiag.jar serve} on a loopback port):
 * which jar, heap, JVM and serve options, and optionally the CPUs it is pinned to with taskset (which execs java,
 * so the child's pid is the JVM's, for its CPU time in /proc). A test that runs several collectors makes one
 * launch per collector.
 */
public final class CollectorLaunch {
    private final int port;
    private final Path data;
    private final Path log;
    private Path jar = Path.of("target", "mpdiag.jar");
    private String heap = "512m";
    private String cpus;
    private javax.net.ssl.SSLContext tls;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> serveOptions = new ArrayList<>();

    public CollectorLaunch(int port, Path data, Path log) {
        this.port = port;
        this.data = data;
        this.log = log;
    }

    /** The jar to run: a copy, for a long run that must not see the jar rebuilt under it. */
    public CollectorLaunch jar(Path jar) {
        this.jar = jar;
        return this;
    }

    /** -Xmx of the collector (512m unless told). */
    public CollectorLaunch heap(String heap) {
        this.heap = heap;
        return this;
    }

    /** The taskset CPU list to pin it to; null (the default) runs it unpinned. */
    public CollectorLaunch pinnedTo(String cpus) {
        this.cpus = cpus;
        return this;
    }

    /** More JVM options, e.g. -XX:StartFlightRecording to profile the collector under load. */
    public CollectorLaunch jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** More options after {@code serve --port P --data DIR}. */
    public CollectorLaunch serveOptions(String... options) {
        serveOptions.addAll(List.of(options));
        return this;
    }

    /** Starts it and returns once it answers (a collector with a token answers 401); 90 s at most. */
    /** Readiness is asked over HTTPS trusting tls (serve options then need --tls-cert and --tls-key). */
    public CollectorLaunch https(javax.net.ssl.SSLContext tls) {
        this.tls = tls;
        return this;
    }

    public ChildJvm start() throws Exception {
        List<String> args = new ArrayList<>();
        args.add("-Xmx" + heap);
        args.addAll(jvmOptions);
        args.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve", "--port", Integer.toString(port),
                "--data", data.toString()));
        args.addAll(serveOptions);
        ChildJvm c = ChildJvm.start(log, cpus == null ? List.of() : List.of("taskset", "-c", cpus), args);
        Http http = new Http(port, tls);
        // Generous: on a loaded machine a JVM with a 12 MB jar can take many seconds to listen.
        long deadline = System.currentTimeMillis() + 90_000;
        try {
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
            throw new IllegalStateException("collector did not start in 90 s: " + c.output());
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** True when taskset can pin a process here. */
    public static boolean canPin() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
