package dev.mpdiag.sample.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code bench} command: drive load at one URL, or reproduce the founding report's table. */
public final class BenchMain {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = String.join("\n",
            "Usage: java -jar sample-service.jar bench <command> [options]",
            "",
            "  run --url http://127.0.0.1:P/path [--duration 10s] [--connections 64] [--warmup 0s]",
            "      [--rate R] [--load wrk|java] [--threads T] [--json FILE]",
            "      [--collector URL [--name NAME] [--service S] [--mode M]]",
            "      drive load at one URL and print one result line; --rate R sends R requests a second in all,",
            "      at fixed times (an open loop, the built-in generator; latency from the intended send time)",
            "  seed-table [--duration 30s] [--connections 200] [--workers N] [--path /api/work] [--out bench-out]",
            "      [--warmup auto|DURATION] [--load wrk|java] [--threads T] [--agent JAR [--agent-options OPTS]]",
            "      [--collector URL] [--jar FILE]",
            "      the founding table on this machine: (a) one worker pinned to one core, (b) N workers one core",
            "      each, (c) one JVM on all cores; writes seed-table.md and seed-table.json into --out",
            "",
            "  cost [--configs \"default async stock default@hang\"] [--pairs 10] [--window 20s] [--saturation 10s]",
            "      [--warmup 60s] [--connections 32] [--path /api/orders] [--rate-share 0.5] [--worker-cpu 1]",
            "      [--load-cpu 0] [--heap 512m] [--agent JAR] [--collector-jar JAR] [--jar FILE] [--out DIR]",
            "      what the agent costs a worker per request: one long-lived worker JVM per configuration plus off",
            "      and off2, the measured one alone on --worker-cpu, the rest with the collector and the load on",
            "      --load-cpu (run this under taskset -c 0); per round, each at a fixed rate (--rate-share of off's",
            "      capacity) and at saturation; prints medians of paired ratios against off with 95% bootstrap",
            "      intervals, off2 as the noise floor; writes cost.md, cost.json and windows.csv into --out.",
            "      A configuration is a profile name, a .jfc path, stock (the JDK's default.jfc) or async (default",
            "      with profiler=async), optionally @absent, @hang, @500 or @slow: a collector failing that way.",
            "",
            "--warmup auto (seed-table's default): 5 s rounds of light load until the JIT is quiet (jstat), then of",
            "full load until the JIT is quiet and QPS gains under 5%; a one-core JVM shares its core with its JIT.",
            "Durations: 500ms, 10s, 1m. Load goes to 127.0.0.1 only. --load defaults to wrk when it is on the PATH,",
            "else the built-in Java generator. --workers defaults to the number of cores, --threads (wrk) too.",
            "--collector http://127.0.0.1:7070 records each run (its time window, mode and figures) in the mpdiag",
            "collector (POST /api/v1/runs), for the dashboard's Runs view and diffs of two runs; seed-table posts one",
            "run per row. The service name of a run is --service (run) or the agent's service= option (seed-table).",
            "A collector started with --token: put the token in the environment variable MPDIAG_TOKEN.");

    private static final Set<String> RUN_OPTIONS = Set.of(
            "--url", "--duration", "--connections", "--warmup", "--rate", "--load", "--threads", "--json", "--collector",
            "--name", "--service", "--mode");
    private static final Set<String> COST_OPTIONS = Set.of(
            "--configs", "--pairs", "--window", "--saturation", "--warmup", "--connections", "--path", "--rate-share",
            "--worker-cpu", "--load-cpu", "--heap", "--agent", "--collector-jar", "--jar", "--out");
    private static final Set<String> SEED_OPTIONS = Set.of(
            "--duration", "--connections", "--workers", "--path", "--out", "--warmup", "--load", "--threads",
            "--agent", "--agent-options", "--collector", "--jar");

    /** Bad command line: exit 2 with the message and the usage. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private BenchMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "run":
                    return runOnce(options(rest, RUN_OPTIONS, out), out, err);
                case "seed-table":
                    return seedTable(options(rest, SEED_OPTIONS, out), args, out, err);
                case "cost":
                    return cost(options(rest, COST_OPTIONS, out), args, out, err);
                default:
                    throw new UsageException("unknown bench command '" + args[0] + "'");
            }
        } catch (UsageException e) {
            err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return EXIT_USAGE;
        } catch (HelpShown e) {
            return 0;
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench: interrupted");
            return EXIT_FAILED;
        }
    }

    private static int runOnce(Map<String, String> o, PrintStream out, PrintStream err)
            throws UsageException, IOException, InterruptedException {
        String url = o.get("--url");
        if (url == null) {
            throw new UsageException("run needs --url http://127.0.0.1:PORT/path");
        }
        LoopbackTarget target;
        try {
            target = LoopbackTarget.parse(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LoadSpec closed = spec(o, "10s", "0s", 64);
        double rate = rate(o.get("--rate"));
        LoadSpec spec = new LoadSpec(closed.connections(), closed.duration(), closed.warmup(), closed.threads(), rate);
        if (rate > 0 && "wrk".equals(o.get("--load"))) {
            throw new UsageException("--rate needs the built-in generator (--load java): wrk cannot pace its requests");
        }
        if (rate > 0 && o.containsKey("--load") && !o.get("--load").equals("java")) {
            throw new UsageException("--load must be wrk or java, got '" + o.get("--load") + "'");
        }
        RunPoster poster = poster(o.get("--collector"));
        if (poster == null && (o.containsKey("--name") || o.containsKey("--service") || o.containsKey("--mode"))) {
            throw new UsageException("--name, --service and --mode describe the run recorded with --collector URL");
        }
        LoadDriver driver = rate > 0 ? new LoadGenerator() : driver(o.get("--load"), err);
        err.printf(Locale.ROOT, "bench: %s for %s (warm-up %s), %d connections%s -> %s%n", name(driver),
                Durations.format(spec.duration()), Durations.format(spec.warmup()), spec.connections(),
                rate > 0 ? String.format(Locale.ROOT, ", %.1f requests/s offered", rate) : "", target.url());
        long start = System.currentTimeMillis();
        LoadResult result = driver.run(target, spec, WindowObserver.NONE);
        long end = System.currentTimeMillis();
        out.println(result.toLine());
        String json = o.get("--json");
        if (json != null) {
            SeedTableReport.writeJson(SeedTableReport.loadResultJson(result), Path.of(json));
        }
        if (poster == null) {
            return 0;
        }
        // The measured window follows the warm-up.
        long from = Math.min(end, start + spec.warmup().toMillis());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("mode", o.getOrDefault("--mode", "load"));
        labels.put("url", target.url());
        labels.put("generator", name(driver));
        Map<String, Object> figures = RunPoster.loadFigures(result);
        figures.put("connections", spec.connections());
        if (rate > 0) {
            figures.put("offeredRate", rate);
        }
        if (!result.workerCounts().isEmpty()) {
            figures.put("processes", result.workerCounts().size());
        }
        String runName = o.getOrDefault("--name", "bench run " + target.url());
        return post(poster, List.of(new RunPoster.Run(runName, o.get("--service"), from, end, labels, figures)), err);
    }

    /** --rate: requests per second over all connections, or 0 (closed loop) when absent. */
    private static double rate(String v) throws UsageException {
        if (v == null) {
            return 0;
        }
        try {
            double r = Double.parseDouble(v);
            if (r > 0 && r <= 1_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--rate needs requests per second above 0, got '" + v + "'");
    }

    private static RunPoster poster(String collector) throws UsageException {
        if (collector == null) {
            return null;
        }
        try {
            return RunPoster.of(collector);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Posts the runs; a run the collector did not record is exit 1 (the results are printed already). */
    private static int post(RunPoster poster, List<RunPoster.Run> runs, PrintStream err) throws InterruptedException {
        int failed = 0;
        for (RunPoster.Run r : runs) {
            try {
                long id = poster.post(r);
                err.println("bench: recorded run #" + id + " '" + r.name() + "' in " + poster.endpoint());
            } catch (IOException e) {
                err.println("bench: " + e.getMessage());
                failed++;
            }
        }
        return failed == 0 ? 0 : EXIT_FAILED;
    }

    private static int seedTable(Map<String, String> o, String[] args, PrintStream out, PrintStream err)
            throws UsageException, IOException, InterruptedException {
        Warmup warmup;
        try {
            warmup = Warmup.parse(o.getOrDefault("--warmup", "auto"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--warmup: " + e.getMessage() + " (or auto)");
        }
        o.remove("--warmup");
        LoadSpec spec = spec(o, "30s", "0s", 200);
        int workers = positive(o, "--workers", Runtime.getRuntime().availableProcessors());
        String path = o.getOrDefault("--path", "/api/work");
        if (!path.startsWith("/")) {
            throw new UsageException("--path must start with '/', got '" + path + "'");
        }
        String agent = o.get("--agent");
        String agentOptions = o.get("--agent-options");
        if (agentOptions != null && agent == null) {
            throw new UsageException("--agent-options needs --agent JAR");
        }
        if (agent != null && !Files.isRegularFile(Path.of(agent))) {
            throw new UsageException("--agent: no such file " + agent);
        }
        if (agent != null) {
            agent = Path.of(agent).toAbsolutePath().toString();
        }
        String collector = o.get("--collector");
        RunPoster poster = poster(collector);
        Path jar = o.containsKey("--jar") ? Path.of(o.get("--jar")) : ownJar();
        if (!Files.isRegularFile(jar)) {
            throw new UsageException("--jar: no such file " + jar);
        }
        Path outDir = Path.of(o.getOrDefault("--out", "bench-out"));
        Files.createDirectories(outDir);
        LoadDriver driver = driver(o.get("--load"), err);
        SeedTable.Config config = new SeedTable.Config(Path.of(System.getProperty("java.home"), "bin", "java"),
                jar.toAbsolutePath(), spec.duration(), warmup, spec.connections(), spec.threads(), workers,
                path, outDir, agent, agentOptions, collector, name(driver), driver);
        SeedTable.Result result = new SeedTable(config, err).run();
        String commandLine = "java -jar sample-service.jar bench " + String.join(" ", args);
        SeedTableReport.write(result, commandLine, outDir);
        out.print(SeedTableReport.markdown(result, commandLine));
        err.println("bench: wrote " + outDir.resolve("seed-table.md") + " and " + outDir.resolve("seed-table.json"));
        return poster == null ? 0 : post(poster, seedRuns(result, agent != null, agentOptions), err);
    }

    private static int cost(Map<String, String> o, String[] args, PrintStream out, PrintStream err)
            throws UsageException, IOException, InterruptedException {
        Path jar = o.containsKey("--jar") ? Path.of(o.get("--jar")) : ownJar();
        if (!Files.isRegularFile(jar)) {
            throw new UsageException("--jar: no such file " + jar);
        }
        // The other modules' jars, beside this one in a built checkout, unless given.
        Path root = jar.toAbsolutePath().getParent().getParent().getParent();
        Path agent = existing(o, "--agent", root.resolve("agent/target/mpagent.jar"));
        Path collectorJar = existing(o, "--collector-jar", root.resolve("collector/target/mpdiag.jar"));
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<CostConfig> configs = new ArrayList<>();
        configs.add(CostConfig.parse(CostConfig.OFF, javaHome));
        configs.add(CostConfig.parse(CostConfig.NOISE, javaHome));
        for (String c : o.getOrDefault("--configs", "default").trim().split("\\s+")) {
            if (c.isEmpty() || c.equals(CostConfig.OFF) || c.equals(CostConfig.NOISE)) {
                continue; // always there
            }
            if (configs.stream().anyMatch(x -> x.name().equals(c))) {
                throw new UsageException("--configs names " + c + " twice");
            }
            try {
                configs.add(CostConfig.parse(c, javaHome));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--configs: " + e.getMessage());
            }
        }
        int pairs = positive(o, "--pairs", 10);
        if (pairs < 3) {
            throw new UsageException("--pairs must be at least 3 for an interval, got " + pairs);
        }
        Duration window = duration(o, "--window", "20s");
        Duration saturation = duration(o, "--saturation", "10s");
        Duration warmup = duration(o, "--warmup", "60s");
        if (window.toSeconds() < 2 || saturation.toSeconds() < 2 || warmup.isZero()) {
            throw new UsageException("--window and --saturation need at least 2s, --warmup more than 0");
        }
        double share;
        try {
            share = Double.parseDouble(o.getOrDefault("--rate-share", "0.5"));
        } catch (NumberFormatException e) {
            share = Double.NaN;
        }
        if (!(share > 0 && share <= 1)) {
            throw new UsageException("--rate-share is a share of off's capacity above 0 and at most 1, got '"
                    + o.get("--rate-share") + "'");
        }
        String workerCpu = o.getOrDefault("--worker-cpu", "1");
        String loadCpu = o.getOrDefault("--load-cpu", "0");
        if (!workerCpu.matches("[0-9,-]+") || !loadCpu.matches("[0-9,-]+") || workerCpu.equals(loadCpu)) {
            throw new UsageException("--worker-cpu and --load-cpu are two different cpu lists (taskset -c), got '"
                    + workerCpu + "' and '" + loadCpu + "'");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/taskset")) && !Files.isExecutable(Path.of("/bin/taskset"))) {
            throw new UsageException("cost needs taskset (util-linux) to keep the workers apart from the load");
        }
        String heap = o.getOrDefault("--heap", "512m");
        if (!heap.matches("[0-9]+[kmgKMG]?")) {
            throw new UsageException("--heap is a JVM heap size such as 512m, got '" + heap + "'");
        }
        String path = o.getOrDefault("--path", "/api/orders");
        if (!path.startsWith("/")) {
            throw new UsageException("--path must start with '/', got '" + path + "'");
        }
        Path outDir = Path.of(o.getOrDefault("--out", "bench-out/cost"));
        CostBench.Options options = new CostBench.Options(javaHome.resolve("bin/java"), jar.toAbsolutePath(),
                agent, collectorJar, configs, pairs, window, saturation, warmup,
                positive(o, "--connections", 32), path, workerCpu, loadCpu, heap, share, outDir);
        CostBench.Result result = new CostBench(options, err).run();
        List<CostReport.Row> rows = CostReport.rows(result);
        String commandLine = "java -jar sample-service.jar bench " + String.join(" ", args);
        CostReport.write(result, rows, commandLine);
        out.print(CostReport.markdown(result, rows, commandLine));
        err.println("bench: wrote " + outDir.resolve("cost.md") + ", cost.json and windows.csv");
        return 0;
    }

    private static Path existing(Map<String, String> o, String option, Path dflt) throws UsageException {
        Path p = o.containsKey(option) ? Path.of(o.get(option)) : dflt;
        if (!Files.isRegularFile(p)) {
            throw new UsageException(option + ": no such file " + p + (o.containsKey(option) ? ""
                    : " (build it with mvn -B -q package -DskipTests, or give " + option + " JAR)"));
        }
        return p.toAbsolutePath();
    }

    /** One run per row of the founding table, with its mode, processes, latency, QPS and CPU per process. */
    static List<RunPoster.Run> seedRuns(SeedTable.Result result, boolean agent, String agentOptions) {
        List<RunPoster.Run> runs = new ArrayList<>();
        for (SeedRow row : result.rows()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("mode", row.mode());
            labels.put("row", row.id());
            labels.put("agent", agent ? "on" : "off");
            labels.put("path", result.config().path());
            labels.put("generator", result.config().generator());
            Map<String, Object> figures = RunPoster.loadFigures(row.load());
            figures.put("processes", row.processes());
            figures.put("connections", result.config().connections());
            for (SeedRow.ProcessShare p : row.cpu()) {
                figures.put(RunPoster.cpuFigure(p.role()), p.cpuPercent());
            }
            figures.put("cpuTotal", row.totalCpuPercent());
            figures.put("machineBusy", row.machineBusyPercent());
            runs.add(new RunPoster.Run("seed-table (" + row.id() + ") " + row.mode(), RunPoster.serviceOf(agentOptions),
                    row.fromMillis(), row.toMillis(), labels, figures));
        }
        return runs;
    }

    private static LoadSpec spec(Map<String, String> o, String duration, String warmup, int connections)
            throws UsageException {
        Duration d = duration(o, "--duration", duration);
        Duration w = duration(o, "--warmup", warmup);
        int c = positive(o, "--connections", connections);
        int t = positive(o, "--threads", LoadSpec.defaultThreads(c));
        if (d.isZero()) {
            throw new UsageException("--duration must be more than 0");
        }
        if (t > c) {
            throw new UsageException("--threads (" + t + ") must not exceed --connections (" + c + ")");
        }
        return new LoadSpec(c, d, w, t);
    }

    private static LoadDriver driver(String load, PrintStream err) throws UsageException {
        Optional<Path> wrk = WrkRunner.find();
        if (load == null) {
            if (wrk.isPresent()) {
                return new WrkRunner(wrk.get());
            }
            err.println("bench: wrk is not on the PATH; using the built-in Java load generator");
            return new LoadGenerator();
        }
        switch (load) {
            case "java":
                return new LoadGenerator();
            case "wrk":
                return new WrkRunner(wrk.orElseThrow(() -> new UsageException("--load wrk: wrk is not on the PATH")));
            default:
                throw new UsageException("--load must be wrk or java, got '" + load + "'");
        }
    }

    private static String name(LoadDriver driver) {
        return driver instanceof WrkRunner ? "wrk" : "java";
    }

    private static Path ownJar() throws UsageException {
        try {
            Path p = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                return p;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        throw new UsageException("seed-table starts the service from this jar; not running from a jar, give --jar FILE");
    }

    /** Thrown after printing the usage for --help inside a command. */
    private static final class HelpShown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpShown() {
            super(null, null, false, false);
        }
    }

    private static Map<String, String> options(String[] args, Set<String> allowed, PrintStream out)
            throws UsageException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                throw new HelpShown();
            }
            if (!allowed.contains(a)) {
                throw new UsageException("unknown option '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new UsageException("option " + a + " needs a value");
            }
            if (o.put(a, args[++i]) != null) {
                throw new UsageException("option " + a + " given twice");
            }
        }
        return o;
    }

    private static Duration duration(Map<String, String> o, String name, String dflt) throws UsageException {
        try {
            return Durations.parse(o.getOrDefault(name, dflt));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
    }

    private static int positive(Map<String, String> o, String name, int dflt) throws UsageException {
        String v = o.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException(name + " needs a positive whole number, got '" + v + "'");
    }
}
