package dev.mpdiag.sample.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One real {@code java -jar target/sample-service.jar supervise} process for a test, on free loopback
 * ports, with its output in target/supervisor-it/NAME.log. {@link #close} kills the supervisor and every
 * worker pid it ever reported, so a failing test leaves nothing running.
 */
final class SupervisorRun implements AutoCloseable {
    static final Path JAR = Path.of("target", "sample-service.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_DIR = Pattern.compile("control sockets in (\\S+)");

    final int port;
    final int adminPort;
    final Path log;
    final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<Long> workerPids = new LinkedHashSet<>();

    private SupervisorRun(int port, int adminPort, Path log, Process process) {
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
        this.process = process;
    }

    static SupervisorRun start(String name, String... extraArgs) throws IOException {
        return start(name, List.of(), extraArgs);
    }

    /** {@code jvmOpts} are the supervisor JVM's own options (heap, a -D marker), before {@code -jar}. */
    static SupervisorRun start(String name, List<String> jvmOpts, String... extraArgs) throws IOException {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: " + JAR);
        int[] ports = freePorts();
        Path dir = Files.createDirectories(Path.of("target", "supervisor-it"));
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.addAll(List.of("-jar", JAR.toString(), "supervise", "--port", Integer.toString(ports[0]),
                "--admin-port", Integer.toString(ports[1])));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SupervisorRun(ports[0], ports[1], log, p);
    }

    /** Two ports free right now, for the workers and the admin API. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> r = admin("GET", "/supervisor/status");
        if (r.statusCode() != 200) {
            throw new IOException("status answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode body = JSON.readTree(r.body());
        for (JsonNode w : body.get("workers")) {
            if (w.hasNonNull("pid")) {
                workerPids.add(w.get("pid").asLong());
            }
        }
        return body;
    }

    HttpResponse<String> admin(String method, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** Polls the status until {@code condition} holds; fails with the last status and the log otherwise. */
    JsonNode awaitStatus(String what, Duration timeout, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        Exception lastError = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                fail("supervisor exited with " + process.exitValue() + " while waiting for " + what + "\n" + logText());
            }
            try {
                last = status();
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e; // the admin server may not be up yet
            }
            Thread.sleep(100);
        }
        return fail("no " + what + " within " + timeout + "; last status " + last + ", last error " + lastError
                + "\n" + logText());
    }

    /** Every worker alive and answering on its control socket, which it opens after binding HTTP. */
    JsonNode awaitReady(int workers) throws Exception {
        return awaitStatus(workers + " ready workers", Duration.ofSeconds(30), s -> {
            JsonNode ws = s.get("workers");
            if (ws.size() != workers) {
                return false;
            }
            for (JsonNode w : ws) {
                if (!w.get("alive").asBoolean() || !w.hasNonNull("faults")) {
                    return false;
                }
            }
            return true;
        });
    }

    /** GET on a new connection that is closed after the response; returns the X-Mpdiag-Worker header. */
    String freshGet(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            if (statusLine == null || !statusLine.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + path + " answered " + statusLine);
            }
            String worker = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("X-Mpdiag-Worker")) {
                    worker = line.substring(colon + 1).trim();
                }
            }
            while (in.read() >= 0) {
                // drain the body until the server closes
            }
            return worker;
        }
    }

    void trackWorker(long pid) {
        workerPids.add(pid);
    }

    Set<Long> workerPids() {
        return Set.copyOf(workerPids);
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGTERM first, so the supervisor stops its workers and removes its run directory as it would for a
     * user; SIGKILL for the supervisor and any worker still running after that.
     */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
        for (long pid : workerPids) {
            // only our workers: a pid may have been reused since it was seen
            ProcessHandle.of(pid)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(JAR.toString())).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
        removeRunDirectory();
    }

    /** A supervisor killed with -9 cannot remove its directory of control sockets; the test does. */
    private void removeRunDirectory() {
        Matcher m = RUN_DIR.matcher(logText());
        if (!m.find()) {
            return;
        }
        Path dir = Path.of(m.group(1));
        if (!Files.isDirectory(dir) || !dir.getFileName().toString().startsWith("mpdiag-sup-")) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }
}
