package dev.mpdiag.sample.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The sample service started as a child process of the bench, from the same jar: either the supervisor with its
 * workers or the single all-cores JVM. Knows when it is ready, which pids do the serving, and how to stop it so
 * that no process is left behind.
 */
final class ServiceProcess {
    private static final long READY_TIMEOUT_MILLIS = 90_000;
    private static final long STOP_TIMEOUT_MILLIS = 20_000;
    private static final long GONE_TIMEOUT_MILLIS = 5_000;
    private static final String HEALTH_PATH = "/api/health";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A serving process: its role ("worker 0", "serve") and pid. */
    record Served(String role, long pid) {
    }

    private final Process process;
    private final List<String> command;
    private final int port;
    private final int adminPort;
    private final int workers;
    private final Path log;
    private final PrintStream progress;

    private ServiceProcess(Process process, List<String> command, int port, int adminPort, int workers, Path log,
                           PrintStream progress) {
        this.process = process;
        this.command = List.copyOf(command);
        this.port = port;
        this.adminPort = adminPort;
        this.workers = workers;
        this.log = log;
        this.progress = progress;
    }

    /** {@code supervise --workers N --port P --admin-port A [--pin] [--agent JAR [--agent-options OPTS]]}. */
    static ServiceProcess supervise(Path java, Path jar, int workers, boolean pin, int port, int adminPort,
                                    String agent, String agentOptions, Path log, PrintStream progress) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString(), "supervise",
                "--workers", Integer.toString(workers), "--port", Integer.toString(port),
                "--admin-port", Integer.toString(adminPort)));
        if (pin) {
            cmd.add("--pin");
        }
        if (agent != null) {
            cmd.add("--agent");
            cmd.add(agent);
            if (agentOptions != null) {
                cmd.add("--agent-options");
                cmd.add(agentOptions);
            }
        }
        return start(cmd, port, adminPort, workers, log, progress);
    }

    /** {@code serve --port P}: one JVM on all cores, with the agent on its own command line when given. */
    static ServiceProcess serve(Path java, Path jar, int port, String agent, String agentOptions, Path log,
                                PrintStream progress) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        if (agent != null) {
            cmd.add("-javaagent:" + agent + (agentOptions == null || agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", Integer.toString(port)));
        return single(cmd, port, log, progress);
    }

    /** One serving JVM started by a command of the caller's (a pinned, configured worker), ready like serve. */
    static ServiceProcess single(List<String> cmd, int port, Path log, PrintStream progress) throws IOException {
        return start(cmd, port, -1, 1, log, progress);
    }

    private static ServiceProcess start(List<String> cmd, int port, int adminPort, int workers, Path log,
                                        PrintStream progress) throws IOException {
        progress.println("bench: starting " + String.join(" ", cmd) + " (log " + log + ")");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(p, cmd, port, adminPort, workers, log, progress);
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    boolean supervised() {
        return adminPort > 0;
    }

    /**
     * Waits until the service answers and, when supervised, until the supervisor lists every worker and fresh
     * connections have been answered by each of them.
     *
     * @return the serving processes: the workers by index, or the serve JVM itself
     */
    List<Served> awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        Set<String> seen = new LinkedHashSet<>();
        String lastProblem = "no answer yet";
        long pause = 200;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("service exited with " + process.exitValue() + " before it was ready; "
                        + "last lines of " + log + ":\n" + tail());
            }
            try {
                LoopbackGet.Response r = LoopbackGet.get(port, HEALTH_PATH);
                if (r.status() == 200) {
                    if (r.worker() != null) {
                        seen.add(r.worker());
                    }
                    if (!supervised()) {
                        return List.of(new Served("serve", process.pid()));
                    }
                    List<Served> listed = workersFromStatus();
                    if (listed.size() == workers && seen.size() >= workers) {
                        return listed;
                    }
                    lastProblem = "supervisor lists " + listed.size() + " of " + workers
                            + " workers, answers seen from " + seen;
                    // All listed but not all seen: probe again soon, each fresh connection may land on another.
                    pause = listed.size() == workers ? 20 : 200;
                } else {
                    lastProblem = HEALTH_PATH + " answered " + r.status();
                }
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            Thread.sleep(pause);
        }
        throw new IOException("service not ready after " + READY_TIMEOUT_MILLIS / 1000 + " s: " + lastProblem
                + "; last lines of " + log + ":\n" + tail());
    }

    /** Workers listed by the supervisor's status, with a live pid each. */
    List<Served> workersFromStatus() throws IOException {
        LoopbackGet.Response r = LoopbackGet.get(adminPort, "/supervisor/status");
        if (r.status() != 200) {
            throw new IOException("/supervisor/status answered " + r.status());
        }
        JsonNode root = JSON.readTree(r.body());
        List<Served> out = new ArrayList<>();
        int i = 0;
        for (JsonNode w : root.path("workers")) {
            long pid = w.path("pid").asLong(-1);
            int index = w.path("index").asInt(i);
            i++;
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                out.add(new Served("worker " + index, pid));
            }
        }
        return out;
    }

    /**
     * SIGTERM, wait, then check that the process and every descendant it had are gone. Leftovers are killed
     * (they are ours) and returned so the run can report them.
     */
    List<Long> stop() throws InterruptedException {
        Map<Long, ProcessHandle> family = new LinkedHashMap<>();
        family.put(process.pid(), process.toHandle());
        process.descendants().forEach(h -> family.put(h.pid(), h));
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            progress.println("bench: service pid " + process.pid() + " did not stop within "
                    + STOP_TIMEOUT_MILLIS / 1000 + " s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_TIMEOUT_MILLIS);
        List<Long> left = alive(family);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = alive(family);
        }
        if (!left.isEmpty()) {
            progress.println("bench: processes left after the service stopped: " + left + "; killing them");
            for (long pid : left) {
                family.get(pid).destroyForcibly();
            }
        }
        return left;
    }

    private static List<Long> alive(Map<Long, ProcessHandle> family) {
        List<Long> out = new ArrayList<>();
        // The captured handles carry each process's start time, so a reused pid is not mistaken for ours.
        family.forEach((pid, h) -> {
            if (h.isAlive()) {
                out.add(pid);
            }
        });
        return out;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
