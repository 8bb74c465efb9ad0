package dev.mpdiag.sample.load;

import java.util.Locale;
import java.util.Map;

/**
 * What one load run measured over its window (warm-up excluded). Latencies in milliseconds. {@code errors} are
 * transport failures (refused, reset, timed out, malformed response); {@code non2xx} are complete responses with a
 * status outside 200-399. {@code statusCounts} and {@code workerCounts} (by the X-Mpdiag-Worker header) are filled
 * by the built-in generator only; wrk does not report them. {@code loadgenCpuPercent} is the load generator's own
 * CPU over the window, 100 = one core, NaN when unknown.
 */
public record LoadResult(
        String generator,
        long requests,
        double durationSeconds,
        double qps,
        double meanMs,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double maxMs,
        long errors,
        long non2xx,
        Map<Integer, Long> statusCounts,
        Map<String, Long> workerCounts,
        double loadgenCpuPercent) {

    public LoadResult withLoadgenCpu(double percent) {
        return new LoadResult(generator, requests, durationSeconds, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs,
                errors, non2xx, statusCounts, workerCounts, percent);
    }

    /** One line for people: the numbers a run is judged by. */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "%s: %d requests in %.2f s, %.1f req/s, latency mean %.3f ms p50 %.3f p90 %.3f p99 %.3f max %.3f ms, "
                        + "errors %d, non-2xx %d",
                generator, requests, durationSeconds, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs, errors, non2xx));
        if (!Double.isNaN(loadgenCpuPercent)) {
            sb.append(String.format(Locale.ROOT, ", load generator CPU %.0f%%", loadgenCpuPercent));
        }
        if (!workerCounts.isEmpty()) {
            sb.append(", by worker ").append(workerCounts);
        }
        return sb.toString();
    }
}
