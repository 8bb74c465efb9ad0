package dev.mpdiag.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Http;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The sample service's supervisor with its workers, each carrying mpagent that streams to the matrix's
 * collector, on free loopback ports. {@link #close} stops the supervisor and kills every worker pid it
 * ever reported, so nothing outlives a scenario.
 */
final class SampleServiceRun implements AutoCloseable {
    final int port;
    final int adminPort;
    final ChildJvm supervisor;
    private final Http admin;
    private final Set<Long> workerPids = new LinkedHashSet<>();

    private final int stopWaitSeconds;

    private SampleServiceRun(int port, int adminPort, ChildJvm supervisor, int stopWaitSeconds) {
        this.stopWaitSeconds = stopWaitSeconds;
        this.port = port;
        this.adminPort = adminPort;
        this.supervisor = supervisor;
        this.admin = new Http(adminPort);
    }

    static SampleServiceRun start(DiagnoseMatrix.Jars jars, Path log, MatrixScenario s, String profile, int workers, int collectorPort,
            String jvmOpts, List<String> cpuPrefix) throws IOException {
        List<String> extra = new ArrayList<>(List.of("--agent", jars.agent().toString(),
                "--agent-options", "collector=http://127.0.0.1:" + collectorPort + ",service=" + s.service()
                        + ",profile=" + profile + ",interval=5s",
                "--jvm-opts", jvmOpts, "--stop-timeout", "3s"));
        if (s.fault() != null) {
            extra.add("--faults");
            extra.add(s.fault());
        }
        return launch(jars, log, workers, extra, 15, cpuPrefix);
    }

    /**
     * Workers without the agent, each recording with {@code -XX:StartFlightRecording} into {@code dir} (JFR names
     * the file after the pid), as a user records for post-run analysis; faults are switched per worker later.
     * The stop timeout leaves the workers time to write their recordings at exit.
     */
    static SampleServiceRun recording(DiagnoseMatrix.Jars jars, Path log, int workers, Path dir, Path settings,
            String jvmOpts) throws IOException {
        String jfr = "-XX:StartFlightRecording=filename=" + dir + ",settings=" + settings;
        return launch(jars, log, workers, List.of("--jvm-opts", jvmOpts + " " + jfr, "--stop-timeout", "30s"), 45, List.of());
    }

    private static SampleServiceRun launch(DiagnoseMatrix.Jars jars, Path log, int workers, List<String> extra,
            int stopWaitSeconds, List<String> cpuPrefix) throws IOException {
        int port = ChildJvm.freePort();
        int adminPort = ChildJvm.freePort();
        while (adminPort == port) {
            adminPort = ChildJvm.freePort();
        }
        List<String> args = new ArrayList<>(List.of("-jar", jars.sampleService().toString(),
                "supervise", "--workers", Integer.toString(workers), "--port", Integer.toString(port),
                "--admin-port", Integer.toString(adminPort)));
        args.addAll(extra);
        return new SampleServiceRun(port, adminPort, ChildJvm.start(log, cpuPrefix, args), stopWaitSeconds);
    }

    /** Switches a planted fault on in one worker through the supervisor's admin API. */
    void faultOn(String fault, int worker) throws IOException, InterruptedException {
        Http.Reply r = admin.post("/supervisor/faults/" + fault + "?on=true&worker=" + worker, Map.of(), new byte[0]);
        if (r.status() != 200) {
            throw new IOException("fault " + fault + " on worker " + worker + ": " + r.status() + " " + r.text());
        }
    }

    /** Worker index to pid, from the supervisor's status. */
    Map<Integer, Long> pidsByIndex() throws IOException, InterruptedException {
        Map<Integer, Long> out = new TreeMap<>();
        for (JsonNode w : status().path("workers")) {
            out.put(w.path("index").asInt(), w.path("pid").asLong());
        }
        return out;
    }

    /** Waits until every worker is alive and answers on its control socket (it opens that after binding HTTP). */
    void awaitReady(int workers, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            if (!supervisor.process.isAlive()) {
                throw new IllegalStateException("supervisor exited: " + tail());
            }
            try {
                JsonNode st = status();
                int ready = 0;
                for (JsonNode w : st.path("workers")) {
                    ready += w.path("alive").asBoolean() && w.hasNonNull("faults") ? 1 : 0;
                }
                if (ready == workers) {
                    return;
                }
                last = st.toString();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("workers not ready in " + timeoutMillis / 1000 + " s; last status " + last);
    }

    /** The supervisor's status; remembers worker pids for cleanup. */
    JsonNode status() throws IOException, InterruptedException {
        Http.Reply r = admin.get("/supervisor/status");
        if (r.status() != 200) {
            throw new IOException("status " + r.status() + ": " + r.text());
        }
        JsonNode body = r.json();
        for (JsonNode w : body.path("workers")) {
            if (w.hasNonNull("pid")) {
                workerPids.add(w.get("pid").asLong());
            }
        }
        return body;
    }

    /** Requests served so far, summed over the workers (null when the status cannot be read). */
    Long requests() {
        try {
            long n = 0;
            for (JsonNode w : status().path("workers")) {
                n += w.path("requests").asLong();
            }
            return n;
        } catch (Exception e) {
            return null;
        }
    }

    private String tail() throws IOException {
        String out = supervisor.output();
        return out.length() > 2000 ? out.substring(out.length() - 2000) : out;
    }

    /** SIGTERM (the supervisor drains and stops its workers), then SIGKILL for anything still alive. */
    @Override
    public void close() throws InterruptedException {
        Process p = supervisor.process;
        List<ProcessHandle> descendants = new ArrayList<>(p.descendants().toList());
        p.destroy();
        if (!p.waitFor(stopWaitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (long pid : workerPids) {
            ProcessHandle.of(pid).ifPresent(descendants::add);
        }
        for (ProcessHandle h : descendants) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : descendants) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the next scenario's noise, not worth failing cleanup for
            }
        }
    }
}
