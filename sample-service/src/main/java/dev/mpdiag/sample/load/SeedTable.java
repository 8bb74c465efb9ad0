package dev.mpdiag.sample.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reproduces the founding report's table on this machine: (a) one worker pinned to one core, (b) N workers pinned
 * to one core each, (c) one JVM on all cores. Each row starts the service from the same jar, waits until it
 * answers, warms up, drives load, samples CPU per serving process over the measured window, and stops it.
 */
final class SeedTable {
    /** The founding report's bar: N one-core workers give at least this share of N times one worker's QPS. */
    static final double TARGET_RATIO = 0.9;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Other processes' CPU, in percent of one core, above which the table says the machine was shared. */
    private static final double SHARED_MACHINE_NOTE_PERCENT = 15;
    /** A CPU share, in percent of one core, large enough to name as a cause of a shortfall. */
    private static final double MATERIAL_CPU_PERCENT = 10;

    /** What to run; {@code agent}, {@code agentOptions} and {@code collector} may be null. */
    record Config(Path java, Path jar, Duration duration, Warmup warmup, int connections, int threads, int workers,
                  String path, Path out, String agent, String agentOptions, String collector, String generator,
                  LoadDriver driver) {
    }

    /** The three rows and the target check over rows (a) and (b). */
    record Result(Config config, List<SeedRow> rows, double ratio, boolean met, String verdict) {
    }

    private final Config config;
    private final PrintStream progress;

    SeedTable(Config config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    Result run() throws IOException, InterruptedException {
        int n = config.workers();
        List<SeedRow> rows = new ArrayList<>();
        rows.add(runRow("a", "one worker pinned to one core", 1, true));
        rows.add(runRow("b", n + (n == 1 ? " worker" : " workers") + ", one core each (pinned)", n, true));
        rows.add(runRow("c", "one JVM, all " + CORES + " cores", 0, false));
        double qpsA = rows.get(0).load().qps();
        double qpsB = rows.get(1).load().qps();
        double ratio = qpsA > 0 ? qpsB / (n * qpsA) : Double.NaN;
        boolean met = ratio >= TARGET_RATIO;
        return new Result(config, rows, ratio, met,
                verdict(rows.get(0), rows.get(1), n, CORES, ratio, met) + sharedMachineNote(rows, CORES));
    }

    /** {@code workers} 0 means the single all-cores JVM ({@code serve}). */
    private SeedRow runRow(String id, String mode, int workers, boolean pin) throws IOException, InterruptedException {
        int port = freePort();
        Path log = config.out().resolve("row-" + id + "-service.log");
        progress.printf(Locale.ROOT, "bench: row (%s) %s%n", id, mode);
        ServiceProcess service;
        if (workers > 0) {
            service = ServiceProcess.supervise(config.java(), config.jar(), workers, pin, port, freePort(),
                    config.agent(), config.agentOptions(), log, progress);
        } else {
            service = ServiceProcess.serve(config.java(), config.jar(), port, config.agent(), config.agentOptions(),
                    log, progress);
        }
        List<Long> leftovers;
        List<Warmup.Round> warmup;
        LoadResult load;
        CpuWindow cpu;
        CpuWindow supervisorCpu = null;
        long fromMillis;
        long toMillis;
        try {
            List<ServiceProcess.Served> served = service.awaitReady();
            progress.printf(Locale.ROOT, "bench: row (%s) ready: %s; warm-up %s, then %s with %s, %d connections on %s%n",
                    id, served, config.warmup().describe(), Durations.format(config.duration()),
                    config.generator(), config.connections(), config.path());
            cpu = new CpuWindow(served);
            if (service.supervised()) {
                supervisorCpu = new CpuWindow(List.of(new ServiceProcess.Served("supervisor", service.pid())));
            }
            WindowObserver observer = supervisorCpu == null ? cpu : pair(cpu, supervisorCpu);
            LoopbackTarget target = new LoopbackTarget("127.0.0.1", port, config.path());
            warmup = config.warmup().run(config.driver(), target, config.connections(), config.threads(), served,
                    config.java(), progress, id);
            LoadSpec spec = new LoadSpec(config.connections(), config.duration(), Duration.ZERO, config.threads());
            fromMillis = System.currentTimeMillis();
            load = config.driver().run(target, spec, observer);
            toMillis = System.currentTimeMillis();
            if (service.supervised()) {
                List<ServiceProcess.Served> after = service.workersFromStatus();
                if (!after.equals(served)) {
                    progress.printf(Locale.ROOT, "bench: row (%s) workers changed during the run: %s -> %s%n",
                            id, served, after);
                }
            }
        } finally {
            leftovers = service.stop();
        }
        List<SeedRow.ProcessShare> shares = new ArrayList<>();
        for (int i = 0; i < cpu.processes().size(); i++) {
            ServiceProcess.Served s = cpu.processes().get(i);
            shares.add(new SeedRow.ProcessShare(s.role(), s.pid(), cpu.percent(i)));
        }
        SeedRow row = new SeedRow(id, mode, service.command(), warmup, load, shares,
                supervisorCpu == null ? Double.NaN : supervisorCpu.percent(0), cpu.machineBusyPercent(), leftovers,
                fromMillis, toMillis);
        progress.printf(Locale.ROOT, "bench: row (%s) %s%n", id, load.toLine());
        progress.printf(Locale.ROOT, "bench: row (%s) CPU per process %s, machine busy %.0f%%%n",
                id, SeedTableReport.cpuList(row), row.machineBusyPercent());
        return row;
    }

    private static WindowObserver pair(WindowObserver first, WindowObserver second) {
        return new WindowObserver() {
            @Override
            public void windowStarted() {
                first.windowStarted();
                second.windowStarted();
            }

            @Override
            public void windowEnded() {
                first.windowEnded();
                second.windowEnded();
            }
        };
    }

    /** One honest sentence on the target, built from the measured numbers only. */
    static String verdict(SeedRow a, SeedRow b, int n, int cores, double ratio, boolean met) {
        double qpsA = a.load().qps();
        double qpsB = b.load().qps();
        String head = String.format(Locale.ROOT, "QPS(b) / (%d x QPS(a)) = %.0f / (%d x %.0f) = %.2f (target >= %.1f)",
                n, qpsB, n, qpsA, ratio, TARGET_RATIO);
        if (Double.isNaN(ratio)) {
            return head + ": not measurable, row (a) served no requests.";
        }
        if (met) {
            return head + ": met.";
        }
        double cpuA = a.totalCpuPercent();
        double cpuB = b.totalCpuPercent();
        double expected = n * cpuA;
        double loadgenB = b.load().loadgenCpuPercent();
        String loadgen = Double.isNaN(loadgenB) ? "an unmeasured share"
                : String.format(Locale.ROOT, "%.0f%% of a core", loadgenB);
        if (cpuB < 0.9 * expected) {
            String why = String.format(Locale.ROOT,
                    "%s: not met. In row (b) the %d workers got %.0f%% CPU in total, against %.0f%% for %d times "
                            + "row (a)'s worker (%.0f%%), while the load generator used %s and the machine was %.0f%% busy",
                    head, n, cpuB, expected, n, cpuA, loadgen, b.machineBusyPercent());
            List<String> causes = new ArrayList<>();
            if (!Double.isNaN(loadgenB) && loadgenB >= MATERIAL_CPU_PERCENT && n * 100 + loadgenB > cores * 100) {
                causes.add(String.format(Locale.ROOT, "on this %d-core machine the load generator needs CPU of its "
                        + "own, so %d workers pinned to %d cores cannot each get a full core; the target needs a core "
                        + "free for the load generator (or a second machine)", cores, n, Math.min(n, cores)));
            }
            double otherB = b.otherCpuPercent(cores);
            if (otherB >= MATERIAL_CPU_PERCENT) {
                causes.add(String.format(Locale.ROOT, "other processes on the machine took %.0f%% of a core during "
                        + "row (b)", otherB));
            }
            return why + (causes.isEmpty() ? "." : ": " + String.join("; ", causes) + ".");
        }
        double perCpuA = cpuA > 0 ? qpsA / (cpuA / 100) : Double.NaN;
        double perCpuB = cpuB > 0 ? qpsB / (cpuB / 100) : Double.NaN;
        String cost = String.format(Locale.ROOT,
                "%s: not met. The workers got their CPU (%.0f%% in total against %.0f%% expected), but each request "
                        + "cost more of it: %.0f requests per CPU-second in row (a), %.0f in row (b)",
                head, cpuB, expected, perCpuA, perCpuB);
        double idleA = cores * (100 - a.machineBusyPercent());
        double idleB = cores * (100 - b.machineBusyPercent());
        if (idleA >= 50 && idleB < 10 && !Double.isNaN(loadgenB)) {
            return cost + String.format(Locale.ROOT, ". Row (a) left %.0f%% of a core idle, where the load generator "
                    + "(%s) and the kernel's side of its connections could run beside the worker; row (b) left %.0f%%, "
                    + "so there they ran on the workers' cores.", idleA, loadgen, idleB);
        }
        return cost + ".";
    }

    /** When other processes took a noticeable share of the machine during a row, the rows are not comparable. */
    static String sharedMachineNote(List<SeedRow> rows, int cores) {
        StringBuilder busy = new StringBuilder();
        for (SeedRow r : rows) {
            double other = r.otherCpuPercent(cores);
            if (other > SHARED_MACHINE_NOTE_PERCENT) {
                busy.append(busy.length() == 0 ? "" : ", ").append(
                        String.format(Locale.ROOT, "%.0f%% of a core in row (%s)", other, r.id()));
            }
        }
        return busy.length() == 0 ? "" : " Other processes on this machine used " + busy
                + " during the measured windows, which the rows did not get.";
    }

    /** A port that was free a moment ago on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
