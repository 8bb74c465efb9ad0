package dev.mpdiag.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.cluster.ClusterOptions;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.CollectorLaunch;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.KafkaBroker;
import dev.mpdiag.testing.Recordings;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * serve --cluster end to end: a real Kafka broker (KRaft, one node), three collectors in one group, twelve
 * simulated agents spread over them like behind a load balancer, and one collector killed with kill -9 while
 * they upload. Every acknowledged upload must then be in the merged process list of each surviving collector,
 * each process listed exactly once, within a bounded time after the kill.
 *
 * <p>bench/soak.sh's cluster part runs it with -Dmpdiag.cluster.brokers=3 (three KRaft nodes, topic with three
 * replicas) and a longer run: a broker is then killed with kill -9 too, after the collector, while the agents
 * still upload, and the same checks must hold. (CPU per upload is measured under load by bench/soak-load.sh
 * --cluster; at this test's 6 uploads/s it would not say much.)
 */
class ClusterFailoverIT {
    static final Path OUT = Path.of("target", "it-cluster");
    static final int COLLECTORS = 3;
    static final int AGENTS = 12;
    static final long INTERVAL_MILLIS = 2_000;
    static final int BROKERS = Integer.getInteger("mpdiag.cluster.brokers", 1);
    static final long KILL_AFTER_SECONDS = Long.getLong("mpdiag.cluster.kill-after", 10);
    /** With three brokers a broker dies too, at least 10 s after the collector; the agents cut 25 s past that. */
    static final long CUT_SECONDS = KILL_AFTER_SECONDS + (BROKERS > 1 ? 40 : 20);
    /** Kafka's session timeout (6 s) to notice the dead member, a rebalance, and a replay of its partitions. */
    static final long RECOVERY_BOUND_SECONDS = 45;

    @Test
    void everyAcknowledgedUploadSurvivesAMemberKilledDuringIngest() throws Exception {
        AgentChunks chunks = chunks();
        List<KafkaBroker> brokers = KafkaBroker.startQuorum(Dirs.fresh(OUT.resolve("kafka")), BROKERS);
        List<ChildJvm> collectors = new ArrayList<>();
        try {
            run(brokers, chunks, collectors);
        } finally {
            // Before the brokers stop, so no collector is left retrying brokers that are gone.
            for (ChildJvm c : collectors) {
                c.close();
            }
            for (KafkaBroker b : brokers) {
                b.close();
            }
        }
    }

    private static void run(List<KafkaBroker> brokers, AgentChunks chunks, List<ChildJvm> collectors)
            throws Exception {
        String topic = KafkaBroker.uniqueName("uploads");
        String group = KafkaBroker.uniqueName("collectors");
        int[] ports = new int[COLLECTORS];
        for (int i = 0; i < COLLECTORS; i++) {
            ports[i] = ChildJvm.freePort();
            collectors.add(new CollectorLaunch(ports[i], Dirs.fresh(OUT.resolve("data-" + i)),
                    OUT.resolve("collector-" + i + ".log")).serveOptions("--cluster", "kafka=" + KafkaBroker.bootstrap(brokers),
                    "--cluster-topic", topic, "--cluster-group", group).start());
        }
        for (int port : ports) {
            ClusterMembers.await(port, COLLECTORS);
        }
        List<URL> ingest = new ArrayList<>();
        for (int port : ports) {
            ingest.add(new URL("http://127.0.0.1:" + port + "/api/v1/ingest"));
        }
        long nanoAtEpoch = System.nanoTime();
        long epochMillis = System.currentTimeMillis();
        long t0 = nanoAtEpoch + 200_000_000L;
        long interval = INTERVAL_MILLIS * 1_000_000L;
        long stopCutting = t0 + CUT_SECONDS * 1_000_000_000L;
        SimulatedAgent.Plan plan = new SimulatedAgent.Plan(ingest, interval, LoadRun.HTTP_TIMEOUT_MILLIS,
                stopCutting, stopCutting + 10 * interval, epochMillis, nanoAtEpoch);
        Set<UploadRecord> acknowledged = ConcurrentHashMap.newKeySet();
        List<SimulatedAgent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.currentTimeMillis() - 1_000;
        for (int i = 0; i < AGENTS; i++) {
            SimulatedAgent a = new SimulatedAgent(i, "cluster-s" + i / 4, "host" + i % 4, 20_000 + i, started - i,
                    chunks, plan, t0 + interval * i / AGENTS, acknowledged::add);
            agents.add(a);
            Thread t = new Thread(a, "cluster-agent-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.sleep(KILL_AFTER_SECONDS * 1000);
        Map<String, Long> ackedBeforeKill = ackedPerProcess(acknowledged);
        collectors.get(0).kill();
        long killed = System.nanoTime();
        System.out.println("ClusterFailoverIT: killed collector 0 (kill -9) with " + acknowledged.size()
                + " uploads acknowledged by the cluster");
        // Survivors list, within the bound, every process acknowledged before the kill with all its uploads.
        double recovered = awaitComplete(ports[1], ackedBeforeKill, false, killed, RECOVERY_BOUND_SECONDS);
        System.out.printf("ClusterFailoverIT: a survivor served every upload acknowledged before the kill %.1f s "
                + "after it (bound %d s)%n", recovered, RECOVERY_BOUND_SECONDS);
        if (BROKERS > 1) {
            killBroker(brokers, acknowledged, killed, stopCutting);
        }
        for (Thread t : threads) {
            t.join(CUT_SECONDS * 1000 + 30 * INTERVAL_MILLIS);
        }
        long rejected = 0;
        int backlog = 0;
        for (SimulatedAgent a : agents) {
            backlog += a.backlog;
            rejected += a.records.stream().filter(r -> r.status >= 300 && r.status < 500 && r.status != 429).count();
        }
        assertEquals(0, rejected, "no upload is refused by the cluster");
        assertEquals(0, backlog, "every cut was acknowledged, the killed member's agents by another member");
        Map<String, Long> acked = ackedPerProcess(acknowledged);
        assertEquals(AGENTS, acked.size());
        for (int i = 1; i < COLLECTORS; i++) {
            double t = awaitComplete(ports[i], acked, true, System.nanoTime(), 60);
            System.out.printf("ClusterFailoverIT: collector %d lists all %d processes once each with every "
                    + "acknowledged upload (%d), %.1f s after the agents stopped%n", i, AGENTS,
                    acknowledged.size(), t);
        }
        // /metrics: the survivors own every partition between them, none still replaying, and each reports the
        // processes it answers for, so a Prometheus scraping both sees each process once.
        long owned = 0;
        Map<String, Integer> reported = new HashMap<>();
        List<Integer> perSurvivor = new ArrayList<>();
        for (int i = 1; i < COLLECTORS; i++) {
            String text = new Http(ports[i]).get("/metrics").text();
            int before = reported.size();
            owned += metric(text, "mpdiag_cluster_partitions_owned");
            assertEquals(0, metric(text, "mpdiag_cluster_partitions_replaying"), text);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^mpdiag_process_threads\\{[^}]*process=\"([^\"]+)\"",
                    java.util.regex.Pattern.MULTILINE).matcher(text);
            while (m.find()) {
                reported.merge(m.group(1), 1, Integer::sum);
            }
            perSurvivor.add(reported.size() - before);
        }
        assertEquals(ClusterOptions.DEFAULT_PARTITIONS, owned, "the survivors own every partition");
        assertEquals(acked.keySet(), reported.keySet(), "every process in /metrics of some survivor");
        assertTrue(reported.values().stream().allMatch(n -> n == 1), "each process in one survivor's /metrics: " + reported);
        // Any member answers about any process: a query for each process goes to its owner and back.
        Http any = new Http(ports[1]);
        for (UploadRecord r : acknowledged.stream().filter(u -> u.seq == 1).toList()) {
            Http.Reply reply = any.get("/api/v1/series?metric=" + Http.enc(r.metric) + "&process=" + Http.enc(r.process));
            assertEquals(200, reply.status(), r.process + ": " + new String(reply.body(), StandardCharsets.UTF_8));
            assertTrue(reply.json().get("series").size() > 0 && reply.json().get("series").get(0).get("points").size() > 0,
                    r.process + " has points through any member");
        }
        assertTrue(perSurvivor.stream().allMatch(n -> n > 0), "the survivors share the processes: " + perSurvivor);
        mergedAcrossMembers(ports, acked.keySet(), acknowledged.iterator().next().metric);
    }

    /**
     * Queries over all processes, a whole service or several members' processes: each survivor merges the others'
     * summaries into its answer, which must equal the sum of the per-process answers (each fetched from its owner),
     * with every process in it once.
     */
    private static void mergedAcrossMembers(int[] ports, Set<String> processes, String metric) throws Exception {
        Http first = new Http(ports[1]);
        Map<String, Long> totals = new HashMap<>();
        for (String id : processes) {
            Http.Reply one = first.get("/api/v1/flamegraph?process=" + Http.enc(id));
            assertEquals(200, one.status(), one.text());
            totals.put(id, one.json().get("total").asLong());
        }
        long sum = totals.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> heatTotals = new HashMap<>();
        for (String id : processes) {
            Http.Reply one = first.get("/api/v1/heatmap?process=" + Http.enc(id));
            assertEquals(200, one.status(), one.text());
            heatTotals.put(id, one.json().path("total").asLong());
        }
        assertTrue(heatTotals.values().stream().mapToLong(Long::longValue).sum() > 0, "the uploads hold heat");
        Set<String> s0 = new HashSet<>();
        for (JsonNode p : first.get("/api/v1/processes").json().get("processes")) {
            if (p.get("service").asText().equals("cluster-s0")) {
                s0.add(p.get("id").asText());
            }
        }
        assertEquals(4, s0.size(), "service cluster-s0 has four agents");
        assertTrue(sum > 0, "the uploads hold CPU samples");
        for (int i = 1; i < COLLECTORS; i++) {
            Http member = new Http(ports[i]);
            Http.Reply all = member.get("/api/v1/flamegraph");
            assertEquals(200, all.status(), all.text());
            assertEquals(processes, ids(all.json().get("processes")), "collector " + i + ": every process once");
            assertEquals(all.json().get("processes").size(), processes.size());
            assertEquals(sum, all.json().get("total").asLong(), "collector " + i + ": the merged flame graph is the "
                    + "sum of the processes' own");
            Http.Reply split = member.get("/api/v1/flamegraph?split=true");
            assertEquals(200, split.status(), split.text());
            for (JsonNode p : split.json().get("processes")) {
                assertEquals(totals.get(p.get("id").asText()), p.get("total").asLong(), p.get("id").asText());
            }
            assertEquals(processes.size(), split.json().get("processes").size());
            Http.Reply service = member.get("/api/v1/flamegraph?service=cluster-s0");
            assertEquals(200, service.status(), service.text());
            assertEquals(s0, ids(service.json().get("processes")), "collector " + i + ": service cluster-s0");
            assertEquals(s0.size(), service.json().get("processes").size());
            Http.Reply series = member.get("/api/v1/series?metric=" + Http.enc(metric));
            assertEquals(200, series.status(), series.text());
            Set<String> withPoints = new HashSet<>();
            for (JsonNode row : series.json().get("series")) {
                if (row.get("points").size() > 0) {
                    withPoints.add(row.get("process").asText());
                }
            }
            assertEquals(processes, withPoints, "collector " + i + ": each process's " + metric + " points");
            Http.Reply checks = member.get("/api/v1/checks");
            assertEquals(200, checks.status(), checks.text());
            assertEquals(processes, ids(checks.json().get("processes")));
            assertTrue(checks.json().get("results").size() > 0, checks.text());
            Http.Reply locks = member.get("/api/v1/locks?service=cluster-s1");
            assertEquals(200, locks.status(), locks.text());
            // The heatmap of all processes: each other member's processes come as one summary each, and the
            // cells must add up to what each process's own heatmap (from its owner) holds.
            Http.Reply heat = member.get("/api/v1/heatmap?split=true");
            assertEquals(200, heat.status(), heat.text());
            assertEquals(processes, ids(heat.json().get("processes")), "collector " + i + ": heatmap of every process");
            assertEquals(heatTotals.values().stream().mapToLong(Long::longValue).sum(), heat.json().get("total").asLong(),
                    "collector " + i + ": the heatmap's cells are the sum of the processes' own");
            for (JsonNode p : heat.json().get("perProcess")) {
                assertEquals(heatTotals.get(p.get("id").asText()), p.get("total").asLong(), p.get("id").asText());
                assertTrue(p.get("label").asText().contains("pid "), "labelled as on one node: " + p.get("label"));
            }
        }
        System.out.printf("ClusterFailoverIT: both survivors merged all %d processes (%d CPU samples), each "
                + "service, series, checks and the heatmap across members%n", processes.size(), sum);
    }

    /**
     * kill -9 of one broker (the first one named in --cluster) at least 10 s after the collector, with at
     * least 20 s of cutting left: the topic keeps two in-sync replicas of three, so uploads must go on being
     * acknowledged, and the checks after the run prove none acknowledged was lost.
     */
    private static void killBroker(List<KafkaBroker> brokers, Set<UploadRecord> acknowledged, long collectorKilled,
            long stopCutting) throws Exception {
        long at = collectorKilled + 10_000_000_000L;
        if (System.nanoTime() < at) {
            Thread.sleep((at - System.nanoTime()) / 1_000_000L);
        }
        assertTrue(stopCutting - System.nanoTime() > 20_000_000_000L, "the survivors recovered too late to leave "
                + "time for the broker kill; raise -Dmpdiag.cluster.kill-after or look at why recovery was slow");
        int before = acknowledged.size();
        brokers.get(0).kill();
        long killed = System.nanoTime();
        System.out.println("ClusterFailoverIT: killed broker 1 of " + brokers.size() + " (kill -9) with " + before
                + " uploads acknowledged");
        long deadline = killed + 20_000_000_000L;
        long firstAck = 0;
        while (System.nanoTime() < deadline && firstAck == 0) {
            for (UploadRecord r : acknowledged) {
                if (r.sentNanos > killed && (firstAck == 0 || r.ackNanos < firstAck)) {
                    firstAck = r.ackNanos;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(firstAck > 0, "an upload sent after the broker was killed was acknowledged within 20 s");
        long after = acknowledged.stream().filter(r -> r.sentNanos > killed).count();
        System.out.printf("ClusterFailoverIT: uploads sent after the broker kill were acknowledged again %.1f s "
                + "after it (%d so far)%n", (firstAck - killed) / 1e9, after);
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The value of an unlabelled metric in Prometheus text. */
    private static long metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in /metrics: " + text);
    }

    private static AgentChunks chunks() throws Exception {
        Path file = Recordings.DIR.resolve("agent-chunks.jfr");
        int port = ChildJvm.freePort();
        try (ChildJvm capture = ChildJvm.collector(port, Dirs.fresh(OUT.resolve("capture-data")),
                OUT.resolve("capture-collector.log"))) {
            return AgentChunks.obtain(file, port, OUT);
        }
    }

    private static Map<String, Long> ackedPerProcess(Set<UploadRecord> acknowledged) {
        Map<String, Long> n = new HashMap<>();
        for (UploadRecord r : acknowledged) {
            n.merge(r.process, 1L, Long::sum);
        }
        return n;
    }

    /**
     * Polls the merged list on port until each process in want is listed exactly once with at least its wanted
     * uploads (exactly that many when exact); returns the seconds since fromNanos, or fails past the bound.
     */
    private static double awaitComplete(int port, Map<String, Long> want, boolean exact, long fromNanos,
            long boundSeconds) throws Exception {
        Http http = new Http(port);
        String problem = "no answer";
        while (System.nanoTime() - fromNanos < boundSeconds * 1_000_000_000L) {
            problem = completeness(http, want, exact);
            if (problem == null) {
                return (System.nanoTime() - fromNanos) / 1e9;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("collector on " + port + " not complete " + boundSeconds + " s on: " + problem);
    }

    private static String completeness(Http http, Map<String, Long> want, boolean exact) throws Exception {
        Http.Reply r = http.get("/api/v1/processes");
        if (r.status() != 200) {
            return "HTTP " + r.status();
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Long> uploads = new HashMap<>();
        for (JsonNode p : r.json().get("processes")) {
            String id = p.get("id").asText();
            seen.merge(id, 1, Integer::sum);
            uploads.put(id, p.path("data").path("uploads").asLong());
        }
        for (Map.Entry<String, Long> e : want.entrySet()) {
            int times = seen.getOrDefault(e.getKey(), 0);
            if (times != 1) {
                return e.getKey() + " listed " + times + " times" + (r.json().has("unreachable")
                        ? " (unreachable: " + r.json().get("unreachable") + ")" : "");
            }
            long listed = uploads.get(e.getKey());
            if (exact ? listed != e.getValue() : listed < e.getValue()) {
                return e.getKey() + " lists " + listed + " uploads of " + e.getValue() + " acknowledged";
            }
        }
        return null;
    }
}
