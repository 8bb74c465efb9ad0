package dev.mpdiag.sample.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.sample.control.ControlProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Real worker processes from the shaded jar on a loopback port: two share the port, faults are
 * switched over the control socket and observed through /proc, and each way a worker ends is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerIT {
    private static final Path BUILT_JAR = Path.of("target", "sample-service.jar");
    private static final Path BUILT_CLASS = Path.of("target", "classes", "dev", "mpdiag", "sample", "worker", "WorkerMain.class");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_TIMEOUT_MILLIS = 30_000;
    /** fd-leak opens 50 files a second, thread-leak starts 20 threads: 1.5 s gives each worker tens of them. */
    private static final Duration LEAK_TRAFFIC = Duration.ofMillis(1500);

    private final List<Process> started = new ArrayList<>();
    private final List<Long> extraPids = new ArrayList<>();
    private Path dir;
    private Path jar;
    private int port;
    private Process w0;
    private Process w1;

    @BeforeAll
    void startTwoWorkersOnOnePort() throws Exception {
        // Before the package phase (a surefire run matching this class) there is no jar or an older one.
        assumeTrue(Files.isRegularFile(BUILT_JAR), "no target/sample-service.jar yet: run through failsafe (mvn verify)");
        assumeTrue(!Files.exists(BUILT_CLASS)
                        || !Files.getLastModifiedTime(BUILT_JAR).toInstant().isBefore(Files.getLastModifiedTime(BUILT_CLASS).toInstant()),
                "target/sample-service.jar is older than target/classes: run through failsafe (mvn verify)");
        dir = Files.createTempDirectory("mpdiag-worker-it-");
        jar = snapshotJar(dir.resolve("sample-service.jar"));
        port = freePort();
        w0 = startWorker(0, port);
        w1 = startWorker(1, port);
        awaitReady(w0, 0);
        awaitReady(w1, 1);
    }

    @AfterAll
    void stopEverything() throws IOException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (long pid : extraPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void bothWorkersAnswerOnTheSharedPort() throws IOException {
        Map<String, Integer> byWorker = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            Response r = get(port, "/api/hello");
            assertEquals(200, r.status());
            byWorker.merge(r.worker(), 1, Integer::sum);
        }
        assertTrue(byWorker.containsKey("0/" + w0.pid()) && byWorker.containsKey("1/" + w1.pid()),
                "answers by worker: " + byWorker);
        assertEquals(2, byWorker.size(), "answers by worker: " + byWorker);
    }

    @Test
    @Order(2)
    void endpointsAnswerJson() throws IOException {
        JsonNode work = JSON.readTree(get(port, "/api/work?size=50").body());
        assertEquals(50, work.get("items").asInt());
        assertEquals(64, work.get("sha256").asText().length());
        JsonNode order = JSON.readTree(get(port, "/api/orders").body());
        assertTrue(order.get("lines").asInt() >= 5, order.toString());
        assertEquals("ok", JSON.readTree(get(port, "/api/health").body()).get("status").asText());
        Response bad = get(port, "/api/work?size=nope");
        assertEquals(400, bad.status());
        assertTrue(bad.worker().matches("[01]/\\d+"), "the header is on errors too: " + bad.worker());
    }

    @Test
    @Order(3)
    void statusNamesTheWorker() throws IOException {
        for (Process w : List.of(w0, w1)) {
            int index = w == w0 ? 0 : 1;
            JsonNode s = JSON.readTree(control(index, "STATUS"));
            assertEquals(index, s.get("index").asInt());
            assertEquals(w.pid(), s.get("pid").asLong());
            assertEquals(port, s.get("port").asInt());
            assertTrue(s.get("requests").asLong() > 0, s.toString());
            assertTrue(s.get("faults").isArray() && s.get("faults").isEmpty(), s.toString());
        }
    }

    @Test
    @Order(4)
    void badControlRequestsAreErrors() throws IOException {
        assertEquals("ERR unknown fault 'bogus'", control(0, "FAULT bogus on"));
        assertTrue(control(0, "FAULT fd-leak sideways").startsWith("ERR "));
        assertTrue(control(0, "REBOOT").startsWith("ERR "));
    }

    @Test
    @Order(5)
    void fdLeakGrowsOpenFiles() throws IOException {
        int[] before = {count(w0, "fd"), count(w1, "fd")};
        assertEquals("OK", control(0, "FAULT fd-leak on"));
        assertEquals("OK", control(1, "FAULT fd-leak on"));
        assertTrue(control(1, "STATUS").contains("\"fd-leak\""));
        trafficFor(LEAK_TRAFFIC);
        assertEquals("OK", control(0, "FAULT fd-leak off"));
        assertEquals("OK", control(1, "FAULT fd-leak off"));
        int[] after = {count(w0, "fd"), count(w1, "fd")};
        assertTrue(after[0] - before[0] >= 10, "worker 0 fds " + before[0] + " -> " + after[0]);
        assertTrue(after[1] - before[1] >= 10, "worker 1 fds " + before[1] + " -> " + after[1]);
        assertTrue(leakedFiles(w0) >= 10, "worker 0 holds leak-<n>.dat files");
    }

    @Test
    @Order(6)
    void threadLeakGrowsThreads() throws IOException {
        int[] before = {count(w0, "task"), count(w1, "task")};
        assertEquals("OK", control(0, "FAULT thread-leak on"));
        assertEquals("OK", control(1, "FAULT thread-leak on"));
        trafficFor(LEAK_TRAFFIC);
        assertEquals("OK", control(0, "FAULT thread-leak off"));
        assertEquals("OK", control(1, "FAULT thread-leak off"));
        int[] after = {count(w0, "task"), count(w1, "task")};
        // 20 threads a second in time, about 30 in 1.5 s of traffic; Jetty's pool may shrink meanwhile.
        assertTrue(after[0] - before[0] >= 3, "worker 0 threads " + before[0] + " -> " + after[0]);
        assertTrue(after[1] - before[1] >= 3, "worker 1 threads " + before[1] + " -> " + after[1]);
    }

    @Test
    @Order(7)
    void drainEndsTheWorkerWithStatusZero() throws Exception {
        assertEquals("OK", control(1, "DRAIN"));
        assertTrue(w1.waitFor(10, TimeUnit.SECONDS), "worker 1 still running 10 s after DRAIN");
        assertEquals(0, w1.exitValue());
        assertFalse(Files.exists(ControlProtocol.socketPath(dir, 1)), "the control socket is removed");
        for (int i = 0; i < 20; i++) {
            assertEquals("0/" + w0.pid(), get(port, "/api/hello").worker(), "the other worker keeps the port");
        }
    }

    @Test
    @Order(8)
    void sigtermEndsTheWorkerWithStatusZero() throws Exception {
        w0.destroy();
        assertTrue(w0.waitFor(10, TimeUnit.SECONDS), "worker 0 still running 10 s after SIGTERM");
        assertEquals(0, w0.exitValue());
        assertFalse(Files.exists(ControlProtocol.socketPath(dir, 0)), "the control socket is removed");
    }

    @Test
    @Order(9)
    void workerExitsWhenItsParentDies() throws Exception {
        int otherPort = freePort();
        Path log = dir.resolve("orphan.log");
        // A shell stands in for the supervisor: it starts the worker, prints its pid and waits.
        String cmd = quote(javaBin()) + " -XX:ActiveProcessorCount=1 -jar " + quote(jar.toString())
                + " worker --index 7 --port " + otherPort + " --control " + quote(dir.toString())
                + " > " + quote(log.toString()) + " 2>&1 & echo $!; wait";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true);
        pb.environment().put("MP_ROLE", "worker");
        pb.environment().put("MP_WORKER_INDEX", "7");
        Process shell = pb.start();
        started.add(shell);
        long pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            pid = Long.parseLong(out.readLine().trim());
            extraPids.add(pid);
            ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
            awaitSocket(worker, 7, log);
            shell.destroyForcibly();
            assertTrue(shell.waitFor(5, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            while (alive(pid) && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(20);
            }
            long millis = (System.nanoTime() - killed) / 1_000_000;
            assertFalse(alive(pid), "the orphaned worker is still running after 10 s\n" + Files.readString(log));
            assertTrue(millis <= 3_000, "the orphaned worker took " + millis + " ms to exit");
        }
    }

    // ---- processes

    private Process startWorker(int index, int httpPort) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-XX:ActiveProcessorCount=1", "-Xmx256m", "-jar",
                jar.toString(), "worker", "--index", String.valueOf(index), "--port", String.valueOf(httpPort),
                "--control", dir.toString(), "--workers", "2")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker-" + index + ".log").toFile());
        pb.environment().put("MP_ROLE", "worker");
        pb.environment().put("MP_WORKER_INDEX", String.valueOf(index));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** The control socket appears once HTTP is bound, so a STATUS answer means the worker is ready. */
    private void awaitReady(Process p, int index) throws Exception {
        awaitSocket(p.toHandle(), index, dir.resolve("worker-" + index + ".log"));
    }

    private void awaitSocket(ProcessHandle p, int index, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("worker " + index + " exited during startup:\n" + Files.readString(log));
            }
            if (Files.exists(ControlProtocol.socketPath(dir, index))) {
                try {
                    if (control(index, "STATUS").startsWith("{")) {
                        return;
                    }
                } catch (IOException e) {
                    // not accepting yet
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("worker " + index + " not ready after " + START_TIMEOUT_MILLIS + " ms:\n" + Files.readString(log));
    }

    /** Alive and not a zombie: an orphan's exit is reaped by init only eventually. */
    private static boolean alive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                        .noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static int count(Process p, String procDir) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(p.pid()), procDir))) {
            return (int) s.count();
        }
    }

    private static long leakedFiles(Process p) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(p.pid()), "fd"))) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).getFileName().toString().matches("leak-\\d+\\.dat");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /**
     * Copies the built jar, so a build rewriting target/ meanwhile cannot pull it from under the workers;
     * retries while the copy is not a whole jar (caught mid-write).
     */
    private static Path snapshotJar(Path copy) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (true) {
            Files.copy(BUILT_JAR, copy, StandardCopyOption.REPLACE_EXISTING);
            try (JarFile j = new JarFile(copy.toFile())) {
                if (j.getEntry("dev/mpdiag/sample/Main.class") != null && j.getEntry("dev/mpdiag/sample/worker/WorkerMain.class") != null) {
                    return copy;
                }
            } catch (IOException e) {
                // a partial jar: try again
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(BUILT_JAR + " holds no runnable sample service");
            }
            Thread.sleep(500);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    // ---- clients

    /** Requests one after another for a while: the leaks grow with time, not with the number of requests. */
    private void trafficFor(Duration d) throws IOException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            get(port, "/api/hello");
        }
    }

    private record Response(int status, String worker, String body) {
    }

    /** One request on a fresh connection, so the kernel picks a listener for each. */
    private static Response get(int httpPort, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String raw = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            String worker = null;
            for (String line : head) {
                if (line.regionMatches(true, 0, ControlProtocol.WORKER_HEADER + ":", 0, ControlProtocol.WORKER_HEADER.length() + 1)) {
                    worker = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), worker, raw.substring(split + 4));
        }
    }

    private String control(int index, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(ControlProtocol.socketPath(dir, index)));
            OutputStream out = Channels.newOutputStream(ch);
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String reply = in.readLine();
            if (reply == null) {
                throw new IOException("control socket of worker " + index + " closed without a reply");
            }
            return reply;
        }
    }
}
