package dev.mpdiag.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.Http;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N simulated agents against one collector for a while: agent i is process soak-sK/hostH/pid/start (eight
 * processes per service), makes its first cut a fraction i/N into the first interval and one every interval
 * after, until the run's time is up; then the agents get two intervals to send what is queued.
 */
final class LoadRun {
    /** The agent's default http.timeout. */
    static final int HTTP_TIMEOUT_MILLIS = 10_000;
    static final int PROCESSES_PER_SERVICE = 8;

    static {
        // The JDK keeps at most 5 idle connections per destination by default; one JVM playing hundreds of agents
        // would otherwise open a new connection for most uploads, where each real agent reuses its own.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "2048");
        }
    }

    private LoadRun() {
    }

    /**
     * Runs the load for warmupSeconds + seconds; latency percentiles past the warm-up, and the CPU time of
     * collectorPid (or -1), are of the last {@code seconds}.
     */
    static LoadStats run(int port, long collectorPid, AgentChunks chunks, int agents, long warmupSeconds, long seconds,
            long intervalMillis) throws Exception {
        return run(List.of(port), List.of(collectorPid), chunks, agents, warmupSeconds, seconds, intervalMillis, 1);
    }

    /**
     * As above against the members of a cluster: agent i starts at member i mod n (a plain load balancer); the
     * CPU time and /metrics counters are the members' sum, visibility and listing asked of the first member.
     * watchEvery: the visibility of one acknowledged upload in that many is watched (1: every one).
     */
    static LoadStats run(List<Integer> ports, List<Long> collectorPids, AgentChunks chunks, int agents,
            long warmupSeconds, long seconds, long intervalMillis, int watchEvery) throws Exception {
        int port = ports.get(0);
        long interval = intervalMillis * 1_000_000L;
        Http http = new Http(port);
        List<URL> ingest = new ArrayList<>();
        for (int p : ports) {
            ingest.add(new URL("http://127.0.0.1:" + p + "/api/v1/ingest"));
        }
        long nanoAtEpoch = System.nanoTime();
        long epochMillis = System.currentTimeMillis();
        long t0 = nanoAtEpoch + 200_000_000L;
        long steadyFrom = t0 + warmupSeconds * 1_000_000_000L;
        long stopCutting = steadyFrom + seconds * 1_000_000_000L;
        SimulatedAgent.Plan plan = new SimulatedAgent.Plan(ingest, interval, HTTP_TIMEOUT_MILLIS, stopCutting, stopCutting + 2 * interval, epochMillis, nanoAtEpoch);
        List<SimulatedAgent> sims = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.currentTimeMillis() - 1_000;
        try (VisibilityWatch watch = new VisibilityWatch(port, Math.min(agents, 128), 3 * intervalMillis, watchEvery)) {
            for (int i = 0; i < agents; i++) {
                SimulatedAgent a = new SimulatedAgent(i, "soak-s" + i / PROCESSES_PER_SERVICE,
                        "host" + i % PROCESSES_PER_SERVICE, 10_000 + i, started - i, chunks, plan,
                        t0 + interval * i / agents, watch::watch);
                sims.add(a);
                Thread t = new Thread(a, "soak-agent-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            try {
                return measure(ports, collectorPids, agents, warmupSeconds, seconds, intervalMillis, http, plan, steadyFrom,
                        stopCutting, sims, threads, watch);
            } finally {
                // Whatever happened to the measuring, no simulated agent outlives the run.
                for (Thread t : threads) {
                    t.interrupt();
                }
                for (Thread t : threads) {
                    t.join(2L * HTTP_TIMEOUT_MILLIS);
                }
            }
        }
    }

    private static LoadStats measure(List<Integer> ports, List<Long> collectorPids, int agents, long warmupSeconds, long seconds,
            long intervalMillis, Http http, SimulatedAgent.Plan plan, long steadyFrom, long stopCutting,
            List<SimulatedAgent> sims, List<Thread> threads, VisibilityWatch watch) throws Exception {
        threads.forEach(Thread::start);
        sleepUntil(steadyFrom);
        double cpu0 = cpuSeconds(collectorPids);
        long pressure0 = ProcCpu.pressureMicros();
        long read0 = System.nanoTime();
        double[] metrics0 = summarizeMetrics(ports);
        sleepUntil(stopCutting);
        double cpu1 = cpuSeconds(collectorPids);
        long pressure1 = ProcCpu.pressureMicros();
        // Over the time between the two readings: an overloaded collector can take longer than the window to
        // answer /metrics, and dividing by the window then showed a core-pinned collector at 105-129%.
        double cpuWindow = (System.nanoTime() - read0) / 1e9;
        double window = seconds + 0.0;
        for (Thread t : threads) {
            t.join(Math.max(1, (plan.stopSendingNanos() - System.nanoTime()) / 1_000_000L) + 2L * HTTP_TIMEOUT_MILLIS);
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        watch.close();
        List<UploadRecord> all = new ArrayList<>();
        long retries = 0;
        long busy = 0;
        long steadyBusy = 0;
        int backlog = 0;
        for (SimulatedAgent a : sims) {
            all.addAll(a.records);
            backlog += a.backlog;
            for (UploadRecord r : a.records) {
                retries += Math.max(0, r.attempts - 1);
                busy += r.busyAnswers;
                steadyBusy += r.cutNanos >= steadyFrom ? r.busyAnswers : 0;
            }
        }
        double[] metrics1 = summarizeMetrics(ports);
        double uploads = metrics1[1] - metrics0[1];
        double summarizeMillis = uploads > 0 ? 1000 * (metrics1[0] - metrics0[0]) / uploads : -1; // NaN if unknown
        double cpuPercent = cpu0 < 0 || cpu1 < 0 ? -1 : 100.0 * (cpu1 - cpu0) / cpuWindow;
        int[] listed = listedMismatches(http, sims);
        LoadStats stats = new LoadStats(agents, intervalMillis, warmupSeconds, window, steadyFrom, all, retries,
                backlog, cpuPercent, summarizeMillis, listed[0]);
        stats.listedFewer = listed[1];
        stats.busyAnswers = busy;
        stats.visibilityQueries = watch.queries.get();
        stats.steadyBusyAnswers = steadyBusy;
        if (pressure0 >= 0 && pressure1 >= 0) {
            stats.cpuPressure = (pressure1 - pressure0) / 1e6 / cpuWindow;
        }
        return stats;
    }

    /**
     * Processes whose listed upload count is not the number of their uploads acknowledged: each acknowledged seq
     * must be stored exactly once, whether the attempt that stored it got the answer or timed out and a retry
     * got {@code "stored": false}. Returns {mismatched, of them listing fewer}, or {-1, 0} without an answer.
     */
    private static int[] listedMismatches(Http http, List<SimulatedAgent> sims) throws InterruptedException {
        Map<String, Long> listed = new HashMap<>();
        JsonNode processes;
        try {
            processes = http.get("/api/v1/processes").json().get("processes");
        } catch (java.io.IOException e) {
            return new int[] {-1, 0};
        }
        for (JsonNode p : processes) {
            listed.put(p.get("id").asText(), p.get("data").get("uploads").asLong());
        }
        int bad = 0;
        int fewer = 0;
        for (SimulatedAgent a : sims) {
            long acknowledged = a.records.stream().filter(UploadRecord::acknowledged).count();
            long n = listed.getOrDefault(a.processId(), 0L);
            bad += n != acknowledged ? 1 : 0;
            fewer += n < acknowledged ? 1 : 0;
        }
        return new int[] {bad, fewer};
    }

    /** The collectors' CPU seconds so far, summed; -1 when any is unknown. */
    private static double cpuSeconds(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            double s = pid > 0 ? ProcCpu.seconds(pid) : -1;
            if (s < 0) {
                return -1;
            }
            sum += s;
        }
        return sum;
    }

    /** The collectors' summarizing seconds and stored uploads so far (their /metrics counters, summed). */
    private static double[] summarizeMetrics(List<Integer> ports) throws InterruptedException {
        double seconds = 0;
        double uploads = 0;
        for (int port : ports) {
            String text;
            try {
                text = new Http(port).get("/metrics").text();
            } catch (java.io.IOException e) {
                // An overloaded collector may not answer in time; the figure is then unknown, the run goes on.
                return new double[] {Double.NaN, Double.NaN};
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("mpdiag_collector_summarize_seconds_total ")) {
                    seconds += Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                } else if (line.startsWith("mpdiag_collector_uploads_total ")) {
                    uploads += Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                }
            }
        }
        return new double[] {seconds, uploads};
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000L));
        }
    }
}
