package dev.mpdiag.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Http;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sample service (fresh workers with mpagent per scenario) once healthy and once per planted fault
 * under load, polls the collector's checks every few seconds, and reports which check flagged what, when,
 * and with which evidence: a confusion matrix of scenario by check. {@code bench/diagnose-matrix.sh} runs it
 * with long phases; DiagnoseMatrixIT with short ones.
 */
public final class DiagnoseMatrix {

    /**
     * How to run the matrix. collectorPort 0 starts a collector of our own on a fresh data directory. ratePerWorker
     * 0 drives closed-loop load (saturation); above 0, an open loop of that many requests a second per worker.
     * starved pins the service and the load to one core (taskset -c 0). untilFlagged ends a fault's scenario at the
     * first poll where its check is flagged with the right evidence (the healthy run always runs its full length).
     */
    public record Settings(Path root, Path out, int loadSeconds, int pollSeconds, int workers, int connections,
            List<MatrixScenario> scenarios, Map<String, String> thresholds, String profile, String jvmOpts,
            int collectorPort, int ratePerWorker, boolean starved, boolean untilFlagged) {

        static Settings defaults(Path root) {
            return new Settings(root, root.resolve("bench/target/diagnose-matrix"), 90, 5, 2, 32,
                    MatrixScenario.standard(), Map.of(), null, "-Xmx512m", 0, 0, false, false);
        }

        /** The command prefix of every process of a scenario: taskset -c 0 when starved. */
        List<String> cpuPrefix() {
            return starved ? List.of("taskset", "-c", "0") : List.of();
        }

        String loadName() {
            return (ratePerWorker > 0 ? ratePerWorker + " requests/s per worker" : "saturation (closed loop)")
                    + (starved ? ", starved (service and load on one core)" : "");
        }
    }

    /** The three jars a run uses, copied first so a build running meanwhile cannot change them under it. */
    record Jars(Path collector, Path sampleService, Path agent) {
        static Jars snapshot(Path root, Path dir) throws IOException {
            Files.createDirectories(dir);
            Path[] out = new Path[3];
            String[] jars = {"collector/target/mpdiag.jar", "sample-service/target/sample-service.jar", "agent/target/mpagent.jar"};
            for (int i = 0; i < jars.length; i++) {
                Path from = root.resolve(jars[i]);
                if (!Files.isRegularFile(from)) {
                    throw new IllegalStateException("missing " + from + " (mvn -B -q package -DskipTests)");
                }
                out[i] = dir.resolve(from.getFileName());
                Files.copy(from, out[i], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return new Jars(out[0], out[1], out[2]);
        }
    }

    /**
     * The check ids, read when this class loads: a run lasts minutes, and a build in the same tree meanwhile
     * replaces target/mpdiag.jar, from which a class loaded only at the end could no longer be read.
     */
    static final List<String> CHECK_IDS = Checks.ALL.stream().map(Check::id).toList();

    private DiagnoseMatrix() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage());
            return;
        }
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("diagnose-matrix: " + e.getMessage());
            System.exit(2);
            return;
        }
        MatrixReport report = run(s, System.out);
        report.print(System.out);
        Files.writeString(s.out().resolve("matrix.txt"), report.text(), StandardCharsets.UTF_8);
        System.out.println("wrote " + s.out().resolve("matrix.txt") + " and per-scenario poll logs in " + s.out());
        System.exit(report.problems().isEmpty() ? 0 : 1);
    }

    /** Runs every scenario in turn; progress lines go to {@code log}. */
    public static MatrixReport run(Settings s, PrintStream log) throws Exception {
        Files.createDirectories(s.out());
        Jars jars = Jars.snapshot(s.root(), s.out().resolve("jars"));
        ChildJvm collector = null;
        int port = s.collectorPort();
        try {
            if (port == 0) {
                port = ChildJvm.freePort();
                collector = startCollector(s, jars, port);
            }
            List<MatrixOutcome> outcomes = new ArrayList<>();
            for (MatrixScenario sc : s.scenarios()) {
                outcomes.add(runScenario(s, jars, sc, port, log));
            }
            return new MatrixReport(s, outcomes);
        } finally {
            if (collector != null) {
                collector.process.destroy();
                if (!collector.process.waitFor(10, TimeUnit.SECONDS)) {
                    collector.close();
                }
            }
        }
    }

    private static ChildJvm startCollector(Settings s, Jars jars, int port) throws Exception {
        Path data = Dirs.fresh(s.out().resolve("collector-data"));
        return ChildJvm.collector(jars.collector(), port, data, s.out().resolve("collector.log"));
    }

    private static MatrixOutcome runScenario(Settings s, Jars jars, MatrixScenario sc, int collectorPort, PrintStream log)
            throws Exception {
        MatrixOutcome o = new MatrixOutcome(sc);
        String profile = s.profile() != null ? s.profile() : sc.profile();
        Path polls = s.out().resolve(sc.name() + ".polls.jsonl");
        Files.deleteIfExists(polls);
        Http http = new Http(collectorPort);
        String query = "/api/v1/checks?service=" + Http.enc(sc.service()) + thresholdQuery(s.thresholds());
        log.printf("== %s (fault %s, expect %s, profile %s, %d s of load at %s)%n", sc.name(),
                sc.fault() == null ? "none" : sc.fault(), sc.expectedCheck() == null ? "nothing" : sc.expectedCheck(),
                profile, s.loadSeconds(), s.loadName());
        try (SampleServiceRun svc = SampleServiceRun.start(jars, s.out().resolve(sc.name() + ".service.log"), sc,
                profile, s.workers(), collectorPort, (s.jvmOpts() + " " + sc.jvmOpts()).trim(), s.cpuPrefix())) {
            svc.awaitReady(s.workers(), 150_000);
            List<String> load = new ArrayList<>(List.of("-jar", jars.sampleService().toString(), "bench", "run",
                    "--url", "http://127.0.0.1:" + svc.port + "/api/orders",
                    // A little longer than the last poll, so no poll sees the service idle.
                    "--duration", (s.loadSeconds() + 3) + "s", "--connections", Integer.toString(s.connections())));
            if (s.ratePerWorker() > 0) {
                load.addAll(List.of("--rate", Integer.toString(s.ratePerWorker() * s.workers())));
            }
            ChildJvm bench = ChildJvm.start(s.out().resolve(sc.name() + ".bench.log"), s.cpuPrefix(), load);
            long t0 = System.nanoTime();
            Long requests0 = svc.requests();
            try {
                for (int k = 1; k * s.pollSeconds() <= s.loadSeconds(); k++) {
                    long due = t0 + k * s.pollSeconds() * 1_000_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    double at = (System.nanoTime() - t0) / 1e9;
                    Http.Reply r = http.get(query);
                    if (r.status() == 404) {
                        log.printf("  %5.1f s  no uploads yet%n", at);
                        continue;
                    }
                    if (r.status() != 200) {
                        throw new IllegalStateException("GET " + query + " answered " + r.status() + ": " + r.text());
                    }
                    JsonNode body = r.json();
                    o.add(body, at);
                    Files.writeString(polls, "{\"seconds\":" + at + ",\"body\":" + r.text() + "}\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    log.printf("  %5.1f s  %s%n", at, MatrixReport.pollLine(body));
                    if (s.untilFlagged() && sc.fault() != null && o.detected() && o.evidenceProblems().isEmpty()) {
                        log.printf("  flagged by %s with the right evidence; the scenario ends here%n", sc.expectedCheck());
                        bench.process.destroy();
                        break;
                    }
                }
                Long requests1 = svc.requests();
                if (requests0 != null && requests1 != null) {
                    o.qps = (requests1 - requests0) / ((System.nanoTime() - t0) / 1e9);
                }
            } finally {
                if (!bench.process.waitFor(30, TimeUnit.SECONDS)) {
                    bench.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    bench.close();
                }
            }
        } catch (Exception e) {
            o.error = e.toString();
            log.println("  scenario failed: " + e);
        }
        return o;
    }

    private static String thresholdQuery(Map<String, String> thresholds) {
        StringBuilder b = new StringBuilder();
        thresholds.forEach((k, v) -> b.append("&threshold.").append(Http.enc(k)).append('=').append(Http.enc(v)));
        return b.toString();
    }

    static Settings parse(String[] args) {
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isDirectory(root.resolve("sample-service")) && Files.isDirectory(root.resolve("../sample-service"))) {
            root = root.getParent();
        }
        Settings d = Settings.defaults(root);
        Path out = d.out();
        int load = d.loadSeconds();
        int poll = d.pollSeconds();
        int connections = d.connections();
        List<MatrixScenario> scenarios = d.scenarios();
        Map<String, String> thresholds = new LinkedHashMap<>();
        String profile = null;
        String jvmOpts = d.jvmOpts();
        int collectorPort = 0;
        int rate = d.ratePerWorker();
        boolean starved = false;
        boolean untilFlagged = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + usage());
            }
            String v = args[++i];
            switch (a) {
                case "--seconds" -> load = positive(a, v);
                case "--poll" -> poll = positive(a, v);
                case "--connections" -> connections = positive(a, v);
                case "--out" -> out = Path.of(v).toAbsolutePath();
                case "--profile" -> profile = v;
                case "--jvm-opts" -> jvmOpts = v;
                case "--collector-port" -> collectorPort = positive(a, v);
                case "--rate" -> rate = v.equals("saturation") ? 0 : positive(a, v);
                case "--starved" -> starved = Boolean.parseBoolean(v);
                case "--until-flagged" -> untilFlagged = Boolean.parseBoolean(v);
                case "--scenarios" -> {
                    scenarios = new ArrayList<>();
                    for (String n : v.split(",")) {
                        scenarios.add(MatrixScenario.byName(n.trim()));
                    }
                }
                case "--threshold" -> {
                    int eq = v.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("--threshold takes CHECK.KEY=VALUE, got " + v);
                    }
                    thresholds.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        return new Settings(root, out, load, poll, d.workers(), connections, scenarios, thresholds, profile, jvmOpts,
                collectorPort, rate, starved, untilFlagged);
    }

    private static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(opt + " takes a positive number, got " + v);
    }

    static String usage() {
        return String.join("\n",
                "usage: DiagnoseMatrix [--seconds 90] [--poll 5] [--connections 32] [--scenarios healthy,contention,...]",
                "       [--threshold CHECK.KEY=V]... [--profile P (all scenarios)] [--jvm-opts \"-Xmx512m\"]",
                "       [--collector-port P (reuse a running collector)] [--out bench/target/diagnose-matrix]",
                "       [--rate N (requests/s per worker, an open loop) | --rate saturation (closed loop, the default)]",
                "       [--starved true (the service and the load share CPU 0)]",
                "       [--until-flagged true (end a fault's scenario once its check flags it with the right evidence)]",
                "scenarios: " + String.join(",", MatrixScenario.standard().stream().map(MatrixScenario::name).toList()));
    }
}
