package dev.mpdiag.sample.load;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives load with wrk ({@code wrk -t T -c C -d Ds --latency URL}) and parses its report into a {@link LoadResult}.
 * The warm-up is a separate wrk run whose report is discarded. wrk's own CPU over the measured run is taken from
 * this JVM's reaped-children CPU time (cutime + cstime in /proc/self/stat), which grows by exactly wrk's CPU when
 * it is reaped, as long as no other child of this JVM exits during the run.
 *
 * <p>wrk's latencies are not raw: before printing, wrk corrects its histogram for coordinated omission
 * ({@code stats_correct} with the mean per-connection request interval), which adds synthetic samples for every slow
 * response. Its mean and percentiles are therefore higher than the built-in generator's raw ones at the same load
 * (measured here on one worker at 64 connections: wrk 20.3 ms mean at 4,837 req/s, where Little's law gives a
 * 13.2 ms request cycle; the built-in generator 14.4 ms at 4,450 req/s, which Little's law matches). Compare
 * latencies only between runs of the same generator.
 */
public final class WrkRunner implements LoadDriver {
    private static final Pattern LATENCY = Pattern.compile(
            "^\\s*Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern PERCENTILE = Pattern.compile(
            "^\\s*(\\d+(?:\\.\\d+)?)%\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in (\\S+?),");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private final Path wrk;

    public WrkRunner(Path wrk) {
        this.wrk = wrk;
    }

    /** wrk on the PATH, if installed. */
    public static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "wrk");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public LoadResult run(LoopbackTarget target, LoadSpec spec, WindowObserver observer)
            throws IOException, InterruptedException {
        if (!spec.warmup().isZero()) {
            runWrk(target, spec.threads(), spec.connections(), wholeSeconds(spec.warmup().toMillis()));
        }
        long seconds = wholeSeconds(spec.duration().toMillis());
        observer.windowStarted();
        long childTicksBefore = ProcCpu.reapedChildrenTicks();
        long startNanos = System.nanoTime();
        String output = runWrk(target, spec.threads(), spec.connections(), seconds);
        long wallNanos = System.nanoTime() - startNanos;
        long childTicksAfter = ProcCpu.reapedChildrenTicks();
        observer.windowEnded();
        LoadResult parsed = parse(output);
        double cpu = childTicksBefore < 0 || childTicksAfter < 0 ? Double.NaN
                : ProcCpu.percentOfOneCore(childTicksAfter - childTicksBefore, wallNanos);
        return parsed.withLoadgenCpu(cpu);
    }

    /** wrk takes whole seconds; a shorter duration is rounded up. */
    private static long wholeSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private String runWrk(LoopbackTarget target, int threads, int connections, long seconds)
            throws IOException, InterruptedException {
        int t = Math.max(1, Math.min(threads, connections));
        List<String> cmd = new ArrayList<>(List.of(wrk.toString(), "-t", Integer.toString(t),
                "-c", Integer.toString(connections), "-d", seconds + "s", "--latency", target.url()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        if (code != 0 || !output.contains("Requests/sec:")) {
            throw new IOException("wrk exited with " + code + ": " + output.strip());
        }
        return output;
    }

    /** Parses wrk 4's report (printed with --latency). */
    public static LoadResult parse(String output) {
        Matcher total = TOTAL.matcher(output);
        Matcher rate = RATE.matcher(output);
        Matcher latency = LATENCY.matcher(output);
        if (!total.find() || !rate.find() || !latency.find()) {
            throw new IllegalArgumentException("not a wrk report: " + output.strip());
        }
        long requests = Long.parseLong(total.group(1));
        double seconds = parseTimeMicros(total.group(2)) / 1e6;
        double qps = Double.parseDouble(rate.group(1));
        double meanMs = parseTimeMicros(latency.group(1)) / 1000.0;
        double maxMs = parseTimeMicros(latency.group(3)) / 1000.0;
        double p50 = Double.NaN;
        double p90 = Double.NaN;
        double p99 = Double.NaN;
        Matcher pm = PERCENTILE.matcher(output);
        while (pm.find()) {
            double pct = Double.parseDouble(pm.group(1));
            double ms = parseTimeMicros(pm.group(2)) / 1000.0;
            if (pct == 50) {
                p50 = ms;
            } else if (pct == 90) {
                p90 = ms;
            } else if (pct == 99) {
                p99 = ms;
            }
        }
        if (Double.isNaN(p99)) {
            throw new IllegalArgumentException("wrk report has no latency distribution (run with --latency): "
                    + output.strip());
        }
        long errors = 0;
        Matcher se = SOCKET_ERRORS.matcher(output);
        if (se.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(se.group(g));
            }
        }
        Matcher nx = NON_2XX.matcher(output);
        long non2xx = nx.find() ? Long.parseLong(nx.group(1)) : 0;
        return new LoadResult("wrk", requests, seconds, qps, meanMs, p50, p90, p99, maxMs, errors, non2xx,
                Map.of(), Map.of(), Double.NaN);
    }

    /** wrk prints times as a number with a unit: us, ms, s, m or h. */
    static double parseTimeMicros(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("bad wrk time '" + text + "'");
        }
        double v = Double.parseDouble(t.substring(0, i));
        switch (t.substring(i)) {
            case "us":
                return v;
            case "ms":
                return v * 1e3;
            case "s":
                return v * 1e6;
            case "m":
                return v * 60e6;
            case "h":
                return v * 3600e6;
            default:
                throw new IllegalArgumentException("bad wrk time unit in '" + text + "'");
        }
    }
}
