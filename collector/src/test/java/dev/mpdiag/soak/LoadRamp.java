package dev.mpdiag.soak;

import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.CollectorLaunch;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.KafkaBroker;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/soak-load.sh's driver: simulated agents against one collector pinned to one core, doubling the agents
 * per step (a fresh collector each step) until it falls behind, then one step halfway back; prints a table and
 * the most agents one collector core kept up with. Run from the collector module directory.
 */
public final class LoadRamp {
    record Settings(long warmup, long seconds, int startAgents, int maxAgents, long intervalMillis, String cpus, String heap, Path out,
            List<String> collectorOpts, Path jar, int cluster, int watchEvery) {
    }

    private LoadRamp() {
    }

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak-load: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (s == null) {
            System.out.println(usage());
            return;
        }
        System.exit(run(s, System.out) ? 0 : 1);
    }

    static String usage() {
        return "usage: soak-load.sh [--seconds S (60)] [--warmup S (20)] [--max-agents N (1024)] [--start-agents N (16)]"
                + " [--interval 5s] [--cpus LIST (0; none = unpinned)] [--heap SIZE (512m)] [--out DIR]"
                + " [--collector-opts \"JVM OPTIONS\"] [--jar MPDIAG_JAR (to compare builds)]"
                + " [--cluster MEMBERS (0: one collector; N: N serve --cluster members on the same CPUs, one Kafka broker)]"
                + " [--visibility-sample N (1: watch every upload's visibility; N: one in N, so the queries cost less)]";
    }

    static Settings parse(String[] args) {
        long seconds = 60;
        long warmup = 20;
        int start = 16;
        int max = 1024;
        long interval = 5000;
        String cpus = "0";
        String heap = "512m";
        Path out = Path.of("target", "soak-load");
        List<String> collectorOpts = List.of();
        Path jar = Path.of("target", "mpdiag.jar");
        int cluster = 0;
        int watchEvery = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--seconds" -> seconds = Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
                    case "--warmup" -> warmup = Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
                    case "--start-agents" -> start = Integer.parseInt(v);
                    case "--max-agents" -> max = Integer.parseInt(v);
                    case "--interval" -> interval = millis(v);
                    case "--cpus" -> cpus = v.equals("none") ? null : v;
                    case "--heap" -> heap = v;
                    case "--out" -> out = Path.of(v);
                    case "--jar" -> jar = Path.of(v);
                    case "--cluster" -> cluster = Integer.parseInt(v);
                    case "--visibility-sample" -> watchEvery = Integer.parseInt(v);
                    case "--collector-opts" -> collectorOpts = List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " takes a number, got '" + v + "'");
            }
        }
        if (interval < 1000) {
            throw new IllegalArgumentException("--interval must be at least 1s (chunks are moved in time by whole seconds)");
        }
        if (start < 1 || max < start) {
            throw new IllegalArgumentException("need 1 <= --start-agents <= --max-agents");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more");
        }
        if (seconds * 1000 < 3 * interval) {
            throw new IllegalArgumentException("--seconds must cover at least 3 intervals");
        }
        if (cluster < 0 || cluster > 12) {
            throw new IllegalArgumentException("--cluster takes 0 to 12 members (the topic's default partitions)");
        }
        if (watchEvery < 1) {
            throw new IllegalArgumentException("--visibility-sample must be 1 or more");
        }
        return new Settings(warmup, seconds, start, max, interval, cpus, heap, out, collectorOpts, jar, cluster, watchEvery);
    }

    /** "5s", "5000ms" or plain milliseconds. */
    static long millis(String v) {
        if (v.endsWith("ms")) {
            return Long.parseLong(v.substring(0, v.length() - 2));
        }
        if (v.endsWith("s")) {
            return Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000);
        }
        return Long.parseLong(v);
    }

    /** Runs the ramp; true when it found a step the collector kept up with. */
    static boolean run(Settings s, PrintStream log) throws Exception {
        Files.createDirectories(s.out());
        Path jar = s.out().resolve("mpdiag.jar");
        Files.copy(s.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        String cpus = s.cpus();
        if (cpus != null && !CollectorLaunch.canPin()) {
            log.println("NOTICE: taskset is not available: the collector runs unpinned, so CPU % is of the whole machine's "
                    + Runtime.getRuntime().availableProcessors() + " cores and agents per core is CPU-based only");
            cpus = null;
        }
        AgentChunks chunks = chunks(s, jar);
        long bytes = chunks.chunks.stream().mapToLong(c -> c.bytes().length).sum();
        log.printf(Locale.ROOT, "collector: %smpdiag.jar serve, -Xmx%s, %s, fresh per step; per step %d s of warm-up "
                + "(JIT, processes created), then %d s measured; one upload per %d ms per agent, first cuts spread over "
                + "the first interval%n", s.cluster() > 0 ? s.cluster() + " members of a cluster (serve --cluster, one "
                + "Kafka broker on the driver's CPUs, agent i starting at member i mod " + s.cluster() + "), each " : "",
                s.heap(), cpus == null ? "unpinned" : "pinned with taskset -c " + cpus,
                s.warmup(), s.seconds(), s.intervalMillis());
        log.printf(Locale.ROOT, "uploads: %d real mpagent chunks of a Workload JVM (default profile, 5 s cuts), %d KB on "
                + "average, replayed in turn, each moved in time to end at its cut%n",
                chunks.chunks.size(), bytes / chunks.chunks.size() / 1024);
        log.println("visible: GET /api/v1/series for the upload's process serves the upload's last point"
                + (s.watchEvery() > 1 ? " (asked for one acknowledged upload in " + s.watchEvery() + ")" : "")
                + "; falls behind: any rejection, retry, backlog, invisible upload, or p99 over 2 intervals");
        log.println();
        List<LoadStats> rows = new ArrayList<>();
        LoadStats best = null;
        LoadStats firstBehind = null;
        int agents = s.startAgents();
        while (true) {
            LoadStats st = step(s, jar, cpus, chunks, agents, log);
            rows.add(st);
            if (st.keptUp()) {
                best = best == null || st.agents > best.agents ? st : best;
            } else if (firstBehind == null || st.agents < firstBehind.agents) {
                firstBehind = st;
            }
            int next;
            if (firstBehind == null) {
                next = agents * 2;
            } else if (best != null && firstBehind.agents - best.agents > Math.max(8, best.agents / 4)
                    && rows.size() < 12) {
                next = (best.agents + firstBehind.agents) / 2; // halfway back: one finer step, then a finer one
            } else {
                break;
            }
            if (next > s.maxAgents()) {
                break;
            }
            agents = next;
        }
        rows.sort((a, b) -> Integer.compare(a.agents, b.agents));
        String table = table(rows, s, cpus, best, firstBehind);
        log.println();
        log.print(table);
        Files.writeString(s.out().resolve("soak-load.txt"), table, StandardCharsets.UTF_8);
        return best != null;
    }

    private static AgentChunks chunks(Settings s, Path jar) throws Exception {
        int port = ChildJvm.freePort();
        Path file = Path.of("target", "recordings", "agent-chunks.jfr");
        if (Files.exists(file)) {
            return AgentChunks.obtain(file, port, s.out());
        }
        try (ChildJvm c = new CollectorLaunch(port, Dirs.fresh(s.out().resolve("capture-data")),
                s.out().resolve("capture-collector.log")).jar(jar).heap(s.heap()).start()) {
            AgentChunks captured = AgentChunks.obtain(file, port, s.out());
            c.stop();
            return captured;
        }
    }

    private static LoadStats step(Settings s, Path jar, String cpus, AgentChunks chunks, int agents, PrintStream log)
            throws Exception {
        log.printf(Locale.ROOT, "== %d agents for %d + %d s (load average %s)%n", agents, s.warmup(), s.seconds(),
                loadAverage());
        if (s.cluster() > 0) {
            return clusterStep(s, jar, cpus, chunks, agents, log);
        }
        int port = ChildJvm.freePort();
        Path data = Dirs.fresh(s.out().resolve("data"));
        try (ChildJvm c = new CollectorLaunch(port, data, s.out().resolve("collector-" + agents + ".log")).jar(jar)
                .heap(s.heap()).pinnedTo(cpus).jvmOptions(s.collectorOpts()).start()) {
            LoadStats st = LoadRun.run(List.of(port), List.of(c.process.pid()), chunks, agents, s.warmup(), s.seconds(),
                    s.intervalMillis(), s.watchEvery());
            c.stop();
            log.println("   " + st.summary());
            log.println("   " + (st.keptUp() ? "kept up" : "FELL BEHIND: " + String.join("; ", st.fellBehind())));
            return st;
        }
    }

    /**
     * One step against s.cluster() members sharing the pinned CPUs, on a fresh broker: the CPU figures are the
     * members' sum (each upload costs the member that takes it and the one that owns its process); the broker's
     * CPU per upload is printed beside them.
     */
    private static LoadStats clusterStep(Settings s, Path jar, String cpus, AgentChunks chunks, int agents,
            PrintStream log) throws Exception {
        List<ChildJvm> members = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.start(Dirs.fresh(s.out().resolve("kafka")))) {
            try {
                List<Integer> ports = new ArrayList<>();
                List<Long> pids = new ArrayList<>();
                String topic = KafkaBroker.uniqueName("uploads");
                for (int i = 0; i < s.cluster(); i++) {
                    int port = ChildJvm.freePort();
                    ChildJvm c = new CollectorLaunch(port, Dirs.fresh(s.out().resolve("data-" + i)),
                            s.out().resolve("collector-" + agents + "-" + i + ".log")).jar(jar).heap(s.heap())
                            .pinnedTo(cpus).jvmOptions(s.collectorOpts()).serveOptions("--cluster",
                                    "kafka=" + kafka.bootstrap(), "--cluster-topic", topic)
                            .start();
                    members.add(c);
                    ports.add(port);
                    pids.add(c.process.pid());
                }
                for (int port : ports) {
                    ClusterMembers.await(port, s.cluster());
                }
                double broker0 = ProcCpu.seconds(kafka.pid());
                LoadStats st = LoadRun.run(ports, pids, chunks, agents, s.warmup(), s.seconds(), s.intervalMillis(),
                        s.watchEvery());
                double broker = ProcCpu.seconds(kafka.pid()) - broker0;
                long acked = st.acknowledged;
                log.printf(Locale.ROOT, "   broker: %.1f ms CPU per upload over the whole step (%d uploads acknowledged)%n",
                        acked > 0 ? 1000 * broker / acked : -1.0, acked);
                log.println("   " + st.summary());
                log.println("   " + (st.keptUp() ? "kept up" : "FELL BEHIND: " + String.join("; ", st.fellBehind())));
                return st;
            } finally {
                for (ChildJvm c : members) {
                    c.stop();
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String table(List<LoadStats> rows, Settings s, String cpus, LoadStats best, LoadStats firstBehind) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%7s %9s %6s %9s %9s %9s %11s %6s %10s %10s %9s  %s%n", "agents",
                "uploads/s", "MB/s", "vis p50", "vis p99", "vis max", "cut->vis99", "CPU %", "CPU ms/up", "sum ms/up",
                "pressure", "kept up"));
        for (LoadStats r : rows) {
            b.append(String.format(Locale.ROOT, "%7d %9.1f %6.1f %7.0fms %7.0fms %7.0fms %9.0fms %6.0f %10.1f %10.1f %8.0f%%  %s%n",
                    r.agents, r.uploadsPerSecond(), r.steadyBytes / r.windowSeconds / 1e6,
                    LoadStats.percentile(r.steadySendToVisible, 50), LoadStats.percentile(r.steadySendToVisible, 99),
                    LoadStats.percentile(r.steadySendToVisible, 100), LoadStats.percentile(r.steadyCutToVisible, 99),
                    r.cpuPercent, r.cpuMillisPerUpload(), r.summarizeMillisPerUpload, 100 * r.cpuPressure,
                    r.keptUp() ? "yes" : "NO: " + String.join("; ", r.fellBehind())));
        }
        b.append(String.format(Locale.ROOT, "(past each step's %d s warm-up: vis = send-to-visible, cut->vis99 = p99 from "
                + "the agent's cut (its queue included); CPU %% = collector user+system time, 100 = one core; "
                + "CPU ms/up = collector CPU time per upload; sum ms/up = collector wall time summarizing per upload; "
                + "pressure = share of the step in which some task on the machine waited for a CPU, /proc/pressure/cpu)%n",
                s.warmup()));
        String where = (s.cluster() > 0 ? s.cluster() + " cluster members" : "one collector")
                + (cpus == null ? " unpinned" : " pinned to CPU " + cpus);
        if (best == null) {
            b.append("the collector fell behind already at ").append(rows.get(0).agents).append(" agents on ").append(where).append('\n');
        } else {
            b.append(String.format(Locale.ROOT, "most agents kept up with on %s: %d (%.1f uploads/s, CPU %.0f%%)%s%n", where,
                    best.agents, best.uploadsPerSecond(), best.cpuPercent,
                    firstBehind == null ? "; it never fell behind up to --max-agents " + s.maxAgents()
                            : "; fell behind at " + firstBehind.agents));
            if (best.cpuPercent > 0) {
                b.append(String.format(Locale.ROOT, "collector CPU at that step: %.1f ms per upload, %.2f%% of a core per "
                        + "agent; a core fully used at that cost would take %.0f agents (an upper bound: latency grows "
                        + "before the core is full, sooner when other processes share it)%n",
                        best.cpuMillisPerUpload(), best.cpuPercent / best.agents, best.agents * 100.0 / best.cpuPercent));
            }
        }
        return b.toString();
    }
}
