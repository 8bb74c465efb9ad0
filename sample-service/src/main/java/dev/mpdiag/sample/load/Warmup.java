package dev.mpdiag.sample.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a row warms the service up before it is measured: a fixed duration, or ({@link #AUTO}) rounds of load until
 * the serving JVMs have stopped compiling and throughput has stopped climbing.
 *
 * <p>Why not a fixed few seconds: a JVM pinned to one core shares that core between serving and its JIT compilers,
 * and under 64 connections the compiler threads get a small share of it. Measured here (one pinned worker, wrk on
 * /api/work): 50 to 100 methods still queued for compilation after 50 s at 64 connections, throughput climbing from
 * 400 to 4,400 req/s over that time; at 4 connections the queue drained in about 30 s. So the automatic warm-up
 * first runs light rounds (a few connections per serving process) until the JIT is quiet, then full rounds until
 * both the JIT is quiet and QPS stops gaining.
 */
record Warmup(Duration fixed) {
    static final Warmup AUTO = new Warmup(null);
    static final Duration ROUND = Duration.ofSeconds(5);
    static final Duration LIGHT_MAX = Duration.ofSeconds(60);
    static final Duration FULL_MAX = Duration.ofSeconds(90);
    static final int LIGHT_CONNECTIONS_PER_PROCESS = 4;
    /** JIT compile time under this share of a round's wall time counts as quiet. */
    static final double JIT_QUIET = 0.05;
    /** A full round that beats the previous one by less than this is no gain. */
    static final double STEADY = 0.05;

    /** One warm-up round: its load, its QPS, and the JIT's busiest serving process (compile s per wall s, %). */
    record Round(int connections, double qps, double jitPercent) {
    }

    static Warmup parse(String text) {
        return "auto".equals(text) ? AUTO : new Warmup(Durations.parse(text));
    }

    boolean auto() {
        return fixed == null;
    }

    String describe() {
        return auto() ? String.format(Locale.ROOT, "automatic (%s rounds: light until the JIT is quiet, then full until "
                + "the JIT is quiet and QPS gains under %.0f%%)", Durations.format(ROUND), STEADY * 100)
                : Durations.format(fixed);
    }

    /** Runs the warm-up against the serving processes and returns its rounds (none for a zero fixed warm-up). */
    List<Round> run(LoadDriver driver, LoopbackTarget target, int connections, int threads,
                    List<ServiceProcess.Served> served, Path java, PrintStream progress, String row)
            throws IOException, InterruptedException {
        List<Round> rounds = new ArrayList<>();
        if (!auto()) {
            if (!fixed.isZero()) {
                double q = driver.run(target, new LoadSpec(connections, fixed, Duration.ZERO, threads),
                        WindowObserver.NONE).qps();
                rounds.add(new Round(connections, q, Double.NaN));
            }
            return rounds;
        }
        JitActivity jit = JitActivity.beside(java);
        if (jit == null) {
            progress.println("bench: jstat not found beside " + java + "; warm-up watches QPS only");
        }
        int light = Math.min(connections, LIGHT_CONNECTIONS_PER_PROCESS * served.size());
        if (jit != null && light < connections) {
            phase(driver, target, light, Math.min(threads, light), served, jit, LIGHT_MAX, false, rounds, progress, row);
        }
        if (!phase(driver, target, connections, threads, served, jit, FULL_MAX, true, rounds, progress, row)) {
            progress.printf(Locale.ROOT, "bench: row (%s) not steady after the warm-up's %s at %d connections; "
                    + "measuring anyway%n", row, Durations.format(FULL_MAX), connections);
        }
        return rounds;
    }

    /** Rounds at one load until steady (true) or out of time (false). */
    private static boolean phase(LoadDriver driver, LoopbackTarget target, int connections, int threads,
                                 List<ServiceProcess.Served> served, JitActivity jit, Duration max, boolean full,
                                 List<Round> rounds, PrintStream progress, String row)
            throws IOException, InterruptedException {
        LoadSpec spec = new LoadSpec(connections, ROUND, Duration.ZERO, threads);
        double[] compiled = compileSeconds(jit, served);
        double previousQps = Double.NaN;
        long n = max.toMillis() / ROUND.toMillis();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            double q = driver.run(target, spec, WindowObserver.NONE).qps();
            double wall = (System.nanoTime() - start) / 1e9;
            double[] now = compileSeconds(jit, served);
            double jitPercent = Double.NaN;
            for (int p = 0; p < now.length; p++) {
                double d = (now[p] - compiled[p]) / wall * 100;
                if (!Double.isNaN(d) && (Double.isNaN(jitPercent) || d > jitPercent)) {
                    jitPercent = d;
                }
            }
            compiled = now;
            rounds.add(new Round(connections, q, jitPercent));
            progress.printf(Locale.ROOT, "bench: row (%s) warm-up at %d connections: %.0f req/s, JIT busy %s%n",
                    row, connections, q, Double.isNaN(jitPercent) ? "?" : String.format(Locale.ROOT, "%.0f%%", jitPercent));
            boolean jitQuiet = jit == null || (!Double.isNaN(jitPercent) && jitPercent < JIT_QUIET * 100);
            boolean noGain = !Double.isNaN(previousQps) && q <= previousQps * (1 + STEADY);
            if (jitQuiet && (!full || noGain)) {
                return true;
            }
            previousQps = q;
        }
        return false;
    }

    private static double[] compileSeconds(JitActivity jit, List<ServiceProcess.Served> served)
            throws InterruptedException {
        double[] out = new double[served.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = jit == null ? Double.NaN : jit.compileSeconds(served.get(i).pid());
        }
        return out;
    }
}
