package dev.mpdiag.sample.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench cost}: what the agent costs a worker per request, kept apart from what the collector costs.
 *
 * <p>Every configuration (off, off2 and each agent configuration) gets one long-lived worker JVM with the same
 * flags. Whichever is measured runs alone on the worker's core; the others, the collector and this JVM's load
 * generator share the other core ({@code taskset -a -p} moves a JVM's threads between them). A round measures each
 * configuration in turn, the order rotating each round: a fixed-rate window at a share of off's capacity (the
 * open-loop generator, latencies from the intended send times) and a saturation window. The figure is worker CPU
 * per completed request (utime + stime from /proc, so JFR's work in the application's threads, its own threads,
 * GC and JIT all count), as the median of per-round ratios against off with a bootstrap interval. off2 against
 * off is the noise floor of the same run.
 */
final class CostBench {
    private static final Duration FIXED_RATE_WARMUP = Duration.ofSeconds(2);
    private static final Duration SATURATION_WARMUP = Duration.ofSeconds(1);
    private static final long SETTLE_MILLIS = 500;
    private static final long COLLECTOR_READY_MILLIS = 60_000;

    /** What to run; the configurations include off and off2. */
    record Options(Path java, Path jar, Path agentJar, Path collectorJar, List<CostConfig> configs, int pairs,
            Duration window, Duration saturation, Duration warmup, int connections, String path, String workerCpus,
            String loadCpus, String heap, double rateShare, Path out) {
    }

    /** Every measured window, the capacity the rate came from, and the agents that streamed to the collector. */
    record Result(Options options, double capacityQps, double rate, int streamingAgents, List<CostWindow> windows,
            String machine, long startMillis, long endMillis) {
    }

    private record Worker(CostConfig config, ServiceProcess process, int port) {
        long pid() {
            return process.pid();
        }
    }

    private final Options o;
    private final PrintStream progress;

    CostBench(Options options, PrintStream progress) {
        this.o = options;
        this.progress = progress;
    }

    Result run() throws IOException, InterruptedException {
        Files.createDirectories(o.out().resolve("logs"));
        long startMillis = System.currentTimeMillis();
        String machine = Machine.describe();
        progress.println("bench cost: " + machine + "; workers on cpu " + o.workerCpus() + ", collector and load on cpu "
                + o.loadCpus() + (Machine.allowedCpus().equals(o.loadCpus()) ? "" : " (this JVM may run on cpu " + Machine.allowedCpus()
                + ": start it under taskset -c " + o.loadCpus() + " to keep the generator off the workers' core)"));
        List<Worker> workers = new ArrayList<>();
        Map<String, BrokenCollector> broken = new LinkedHashMap<>();
        Process collector = null;
        try {
            int streaming = (int) o.configs().stream().filter(CostConfig::streams).count();
            String collectorUrl = null;
            if (streaming > 0) {
                int port = SeedTable.freePort();
                collector = startCollector(port);
                collectorUrl = "http://127.0.0.1:" + port;
            }
            for (CostConfig c : o.configs()) {
                String url = collectorUrl;
                if (c.fault() != null) {
                    BrokenCollector b = broken.get(c.fault());
                    if (b == null) {
                        b = BrokenCollector.start(c.fault());
                        broken.put(c.fault(), b);
                    }
                    url = b.url();
                }
                int port = SeedTable.freePort();
                List<String> cmd = c.command(o.java(), o.jar(), o.agentJar(), url, o.heap(), o.loadCpus(), port);
                workers.add(new Worker(c, ServiceProcess.single(cmd, port, o.out().resolve("logs/" + fileName(c) + ".log"),
                        progress), port));
            }
            for (Worker w : workers) {
                w.process().awaitReady();
            }
            long collectorPid = collector == null ? -1 : collector.pid();

            for (Worker w : workers) {
                place(w, workers);
                progress.printf(Locale.ROOT, "bench cost: warming %s up for %s at full load%n", w.config().name(),
                        Durations.format(o.warmup()));
                new LoadGenerator().run(target(w), new LoadSpec(o.connections(), o.warmup(), Duration.ZERO, 1),
                        WindowObserver.NONE);
            }
            Worker off = workers.get(0);
            place(off, workers);
            LoadResult capacity = new LoadGenerator().run(target(off),
                    new LoadSpec(o.connections(), o.saturation(), SATURATION_WARMUP, 1), WindowObserver.NONE);
            double rate = capacity.qps() * o.rateShare();
            progress.printf(Locale.ROOT, "bench cost: off's capacity %.0f requests/s; the fixed rate is %.0f%% of it, "
                    + "%.0f requests/s%n", capacity.qps(), o.rateShare() * 100, rate);

            List<CostWindow> windows = new ArrayList<>();
            Path csv = o.out().resolve("windows.csv");
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                out.write(CostWindow.csvHeader());
                out.newLine();
                for (int round = 0; round < o.pairs(); round++) {
                    for (int k = 0; k < workers.size(); k++) {
                        // Rotate the order so no configuration is always measured first or last in a round.
                        Worker w = workers.get((k + round) % workers.size());
                        place(w, workers);
                        for (boolean paced : new boolean[] {true, false}) {
                            CostWindow cw = measure(w, round, paced ? rate : 0, collectorPid);
                            windows.add(cw);
                            out.write(cw.csv());
                            out.newLine();
                            out.flush(); // a run cut short keeps every window measured so far
                        }
                    }
                    progress.printf(Locale.ROOT, "bench cost: round %d of %d done (%s)%n", round + 1, o.pairs(),
                            roundLine(windows, round));
                }
            }
            return new Result(o, capacity.qps(), rate, streaming, windows, machine, startMillis,
                    System.currentTimeMillis());
        } finally {
            for (Worker w : workers) {
                w.process().stop();
            }
            broken.values().forEach(BrokenCollector::close);
            if (collector != null) {
                collector.destroy();
                if (!collector.waitFor(20, TimeUnit.SECONDS)) {
                    collector.destroyForcibly();
                }
            }
        }
    }

    /** One window on the worker's core: fixed-rate when {@code rate} is above 0, else closed-loop saturation. */
    private CostWindow measure(Worker w, int round, double rate, long collectorPid) throws InterruptedException {
        long[] ticks = new long[4];
        WindowObserver cpu = new WindowObserver() {
            @Override
            public void windowStarted() {
                ticks[0] = ProcCpu.ticks(w.pid());
                ticks[2] = collectorPid < 0 ? -1 : ProcCpu.ticks(collectorPid);
            }

            @Override
            public void windowEnded() {
                ticks[1] = ProcCpu.ticks(w.pid());
                ticks[3] = collectorPid < 0 ? -1 : ProcCpu.ticks(collectorPid);
            }
        };
        boolean paced = rate > 0;
        LoadSpec spec = paced
                ? new LoadSpec(o.connections(), o.window(), FIXED_RATE_WARMUP, 1, rate)
                : new LoadSpec(o.connections(), o.saturation(), SATURATION_WARMUP, 1);
        LoadResult r = new LoadGenerator().run(target(w), spec, cpu);
        long worker = ticks[0] < 0 || ticks[1] < 0 ? -1 : ticks[1] - ticks[0];
        long coll = ticks[2] < 0 || ticks[3] < 0 ? -1 : ticks[3] - ticks[2];
        return new CostWindow(w.config().name(), round, paced, paced ? rate : Double.NaN, r.requests(),
                r.durationSeconds(), worker, coll, r.p50Ms(), r.p99Ms(), r.p999Ms(), r.errors() + r.non2xx());
    }

    /** The measured worker alone on the worker core; every other JVM of the run on the load core. */
    private void place(Worker measured, List<Worker> all) throws IOException, InterruptedException {
        for (Worker w : all) {
            if (w != measured) {
                pin(w.pid(), o.loadCpus());
            }
        }
        pin(measured.pid(), o.workerCpus());
        Thread.sleep(SETTLE_MILLIS);
    }

    /** Moves every thread of a process to the cpus; new threads inherit it from the thread that starts them. */
    static void pin(long pid, String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset -a -p -c " + cpus + " " + pid + " failed: " + output.trim());
        }
    }

    private Process startCollector(int port) throws IOException, InterruptedException {
        Path data = o.out().resolve("collector-data");
        Files.createDirectories(data);
        List<String> cmd = List.of("taskset", "-c", o.loadCpus(), o.java().toString(), "-jar",
                o.collectorJar().toString(), "serve", "--port", Integer.toString(port), "--data", data.toString());
        Path log = o.out().resolve("logs/collector.log");
        progress.println("bench cost: starting " + String.join(" ", cmd) + " (log " + log + ")");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COLLECTOR_READY_MILLIS);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the collector exited with " + p.exitValue() + "; see " + log);
            }
            try {
                LoopbackGet.get(port, "/");
                return p;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("the collector did not answer within " + COLLECTOR_READY_MILLIS / 1000 + " s; see " + log);
    }

    private LoopbackTarget target(Worker w) {
        return LoopbackTarget.parse("http://127.0.0.1:" + w.port() + o.path());
    }

    /** The round's fixed-rate CPU per request of each configuration, for the progress line. */
    private static String roundLine(List<CostWindow> windows, int round) {
        StringBuilder sb = new StringBuilder();
        for (CostWindow w : windows) {
            if (w.round() == round && w.paced()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f us/request",
                        w.config(), w.cpuPerRequestMicros()));
            }
        }
        return sb.toString();
    }

    private static String fileName(CostConfig c) {
        return c.name().replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
