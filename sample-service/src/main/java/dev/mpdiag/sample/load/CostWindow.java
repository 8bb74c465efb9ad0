package dev.mpdiag.sample.load;

import java.util.Locale;

/**
 * One measured window of one worker: the requests it completed, the CPU it used (utime + stime from /proc, so GC,
 * JIT and JFR's threads included), latencies from the intended send times, and the collector's CPU meanwhile.
 */
record CostWindow(String config, int round, boolean paced, double offered, long requests, double seconds,
        long workerTicks, long collectorTicks, double p50Ms, double p99Ms, double p999Ms, long errors) {

    /** Worker CPU per completed request, in microseconds. */
    double cpuPerRequestMicros() {
        return requests == 0 ? Double.NaN : workerTicks * 1e6 / ProcCpu.TICKS_PER_SECOND / requests;
    }

    double qps() {
        return requests / seconds;
    }

    /** The collector's CPU over the window as a share of one core. */
    double collectorCoreShare() {
        return collectorTicks < 0 ? Double.NaN : collectorTicks / (double) ProcCpu.TICKS_PER_SECOND / seconds;
    }

    static String csvHeader() {
        return "config,round,kind,offered_rps,requests,seconds,worker_ticks,collector_ticks,cpu_us_per_request,"
                + "p50_ms,p99_ms,p999_ms,errors";
    }

    String csv() {
        return String.format(Locale.ROOT, "%s,%d,%s,%.1f,%d,%.3f,%d,%d,%.2f,%.3f,%.3f,%.3f,%d", config, round,
                paced ? "fixed-rate" : "saturation", offered, requests, seconds, workerTicks, collectorTicks,
                cpuPerRequestMicros(), p50Ms, p99Ms, p999Ms, errors);
    }
}
