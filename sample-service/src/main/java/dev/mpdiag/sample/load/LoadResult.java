package dev.mpdiag.sample.load;

import java.util.Locale;
import java.util.Map;

/**
 * What one load run measured over its window (warm-up excluded). Latencies in milliseconds. {@code errors} are
 * transport failures (refused, reset, timed out, malformed response); {@code non2xx} are complete responses with a
 * status outside 200-399. {@code statusCounts} and {@code workerCounts} (by the X-Mpdiag-Worker header) are filled
 * by the built-in generator only; wrk does not report them. {@code loadgenCpuPercent} is the load generator's own
 * CPU over the window, 100 = one core, NaN when unknown. {@code offeredQps} is the fixed rate of an open-loop run
 * ({@code qps} is then the achieved rate and latencies count from the intended send times), NaN for a closed loop.
 * {@code p999Ms} comes from the built-in generator's histogram only (NaN from wrk).
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
        double loadgenCpuPercent,
        double offeredQps,
        double p999Ms) {

    /** A closed-loop result: no offered rate. */
    public LoadResult(String generator, long requests, double durationSeconds, double qps, double meanMs, double p50Ms,
            double p90Ms, double p99Ms, double maxMs, long errors, long non2xx, Map<Integer, Long> statusCounts,
            Map<String, Long> workerCounts, double loadgenCpuPercent) {
        this(generator, requests, durationSeconds, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs, errors, non2xx,
                statusCounts, workerCounts, loadgenCpuPercent, Double.NaN, Double.NaN);
    }

    public LoadResult withLoadgenCpu(double percent) {
        return new LoadResult(generator, requests, durationSeconds, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs,
                errors, non2xx, statusCounts, workerCounts, percent, offeredQps, p999Ms);
    }

    /** Whether the requests were sent at a fixed rate (an open loop). */
    public boolean paced() {
        return !Double.isNaN(offeredQps);
    }

    /** One line for people: the numbers a run is judged by. */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        if (paced()) {
            sb.append(String.format(Locale.ROOT,
                    "%s: %d requests in %.2f s, offered %.1f req/s, achieved %.1f req/s, latency from the intended "
                            + "send time mean %.3f ms p50 %.3f p90 %.3f p99 %.3f max %.3f ms, errors %d, non-2xx %d",
                    generator, requests, durationSeconds, offeredQps, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs, errors,
                    non2xx));
        } else {
            sb.append(String.format(Locale.ROOT,
                    "%s: %d requests in %.2f s, %.1f req/s, latency mean %.3f ms p50 %.3f p90 %.3f p99 %.3f max %.3f ms, "
                            + "errors %d, non-2xx %d",
                    generator, requests, durationSeconds, qps, meanMs, p50Ms, p90Ms, p99Ms, maxMs, errors, non2xx));
        }
        if (!Double.isNaN(loadgenCpuPercent)) {
            sb.append(String.format(Locale.ROOT, ", load generator CPU %.0f%%", loadgenCpuPercent));
        }
        if (!workerCounts.isEmpty()) {
            sb.append(", by worker ").append(workerCounts);
        }
        return sb.toString();
    }
}
