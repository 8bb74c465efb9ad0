package dev.mpdiag.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The figures of one load run: what was offered, what the collector acknowledged and stored, how fast it showed, its CPU. */
final class LoadStats {
    final int agents;
    final long intervalMillis;
    final double windowSeconds;
    final int cuts;
    final int acknowledged;
    final int stored;
    final int rejected;
    final long retries;
    /** Attempts the collector shed with 429 (counted in retries too). */
    long busyAnswers;
    /** GET /api/v1/series the visibility watch sent over the whole run (part of the collector's CPU). */
    long visibilityQueries;
    /** Of those, attempts at uploads cut past the warm-up. */
    long steadyBusyAnswers;
    final int backlog;
    final int notVisible;
    /** Acknowledged uploads whose visibility was watched: all of them, or one in N with --visibility-sample N. */
    final int watched;
    final long bytes;
    final double[] sendToVisible;
    /** The same two past the warm-up (uploads cut after it): a fresh collector's JIT and its new processes excluded. */
    final double[] steadySendToVisible;
    final double[] steadyCutToVisible;
    final double warmupSeconds;
    final int steadyAcknowledged;
    final long steadyBytes;
    final double[] cutToVisible;
    final double[] sendToAck;
    /** Collector CPU over the window as a share of one core (100 = one core busy), or -1 when unknown. */
    final double cpuPercent;
    /** Wall time the collector spent summarizing, per stored upload (its /metrics), or -1. */
    final double summarizeMillisPerUpload;
    /** Simulated processes whose stored upload count in /api/v1/processes differs from what was acknowledged. */
    final int listedMismatches;
    /**
     * Of those, processes that list fewer uploads than they had acknowledged: an acknowledged upload lost. The
     * others list more: an attempt the collector stored whose answer the agent never got, and the run ended
     * before its retry.
     */
    int listedFewer;
    final String firstRejection;
    /** Share of the window in which some task on the machine waited for a CPU (/proc/pressure/cpu), or -1. */
    double cpuPressure = -1;

    /**
     * windowSeconds: the measured part of the run, after warmupSeconds; steadyFromNanos: its start. Counts are of
     * all uploads; uploads/s, bytes/s and the steady percentiles of those cut in the window.
     */
    LoadStats(int agents, long intervalMillis, double warmupSeconds, double windowSeconds, long steadyFromNanos,
            List<UploadRecord> all, long retries, int backlog, double cpuPercent, double summarizeMillisPerUpload,
            int listedMismatches) {
        this.agents = agents;
        this.warmupSeconds = warmupSeconds;
        this.intervalMillis = intervalMillis;
        this.windowSeconds = windowSeconds;
        this.cuts = all.size();
        this.retries = retries;
        this.backlog = backlog;
        this.cpuPercent = cpuPercent;
        this.summarizeMillisPerUpload = summarizeMillisPerUpload;
        this.listedMismatches = listedMismatches;
        int ack = 0;
        int st = 0;
        int rej = 0;
        int invisible = 0;
        int watched = 0;
        long b = 0;
        String rejection = null;
        List<Double> stv = new ArrayList<>();
        List<Double> steadyStv = new ArrayList<>();
        List<Double> steadyCtv = new ArrayList<>();
        int steadyAck = 0;
        long steadyB = 0;
        List<Double> ctv = new ArrayList<>();
        List<Double> sta = new ArrayList<>();
        for (UploadRecord r : all) {
            if (r.acknowledged()) {
                ack++;
                b += r.bytes;
                st += r.stored ? 1 : 0;
                sta.add(r.sendToAckMillis());
                boolean steady = r.cutNanos >= steadyFromNanos;
                if (steady) {
                    steadyAck++;
                    steadyB += r.bytes;
                }
                watched += r.watched ? 1 : 0;
                if (!r.watched) {
                    continue; // not asked after (--visibility-sample): neither visible nor invisible
                }
                if (r.visibleNanos == 0) {
                    invisible++;
                } else {
                    stv.add(r.sendToVisibleMillis());
                    if (steady) {
                        steadyStv.add(r.sendToVisibleMillis());
                        steadyCtv.add(r.cutToVisibleMillis());
                    }
                    ctv.add(r.cutToVisibleMillis());
                }
            } else if (r.status >= 300 && r.status != 429) { // a 429 is retried: its upload is backlog, not rejected
                rej++;
                if (rejection == null) {
                    rejection = "HTTP " + r.status + " " + r.answer;
                }
            }
        }
        this.acknowledged = ack;
        this.stored = st;
        this.rejected = rej;
        this.notVisible = invisible;
        this.watched = watched;
        this.bytes = b;
        this.firstRejection = rejection;
        this.sendToVisible = sorted(stv);
        this.steadySendToVisible = sorted(steadyStv);
        this.steadyCutToVisible = sorted(steadyCtv);
        this.steadyAcknowledged = steadyAck;
        this.steadyBytes = steadyB;
        this.cutToVisible = sorted(ctv);
        this.sendToAck = sorted(sta);
    }

    private static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Nearest-rank percentile (0 < p <= 100) of sorted values; NaN when empty. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Collector CPU milliseconds per upload stored in the window, or -1. */
    double cpuMillisPerUpload() {
        return cpuPercent < 0 || steadyAcknowledged == 0 ? -1 : cpuPercent * 10 * windowSeconds / steadyAcknowledged;
    }

    double uploadsPerSecond() {
        return steadyAcknowledged / windowSeconds;
    }

    /** Why the collector did not keep up; empty when it did. */
    List<String> fellBehind() {
        List<String> why = new ArrayList<>();
        double limit = 2.0 * intervalMillis;
        if (rejected > 0) {
            why.add(rejected + " uploads rejected (" + firstRejection + ")");
        }
        // A timeout or 5xx is a failure wherever it happens. A 429 is the collector shedding by design, and the
        // agent's retry after Retry-After stores the upload: in the warm-up (hundreds of agents starting at once,
        // each new process made durable, the JIT still compiling) it is reported; past it, it means the collector
        // cannot take the steady rate, which is what this run measures.
        if (retries - busyAnswers > 0) {
            why.add((retries - busyAnswers) + " failed attempts (timeout, no connection or 5xx)");
        }
        if (steadyBusyAnswers > 0) {
            why.add(steadyBusyAnswers + " attempts past the warm-up shed with 429");
        }
        if (backlog > 0) {
            why.add(backlog + " uploads still queued in the agents 2 intervals after the last cut");
        }
        if (notVisible > 0) {
            why.add(notVisible + " acknowledged uploads never visible");
        }
        if (stored + retries < acknowledged) {
            // A retry of an attempt that timed out after the collector stored it is answered "stored": false;
            // more of those than retries means an upload was taken for a repeat.
            why.add((acknowledged - stored) + " acknowledged uploads answered as repeats, more than the " + retries
                    + " retries");
        }
        if (listedMismatches < 0) {
            why.add("GET /api/v1/processes did not answer in 60 s after the run");
        }
        if (listedMismatches > 0) {
            why.add(listedMismatches + " processes list a different upload count than they had acknowledged ("
                    + listedFewer + " fewer: lost; " + (listedMismatches - listedFewer)
                    + " more: stored, the answer lost and not retried before the end)");
        }
        if (percentile(steadyCutToVisible, 99) > limit) {
            why.add(String.format(Locale.ROOT, "cut-to-visible p99 %.0f ms > 2 intervals",
                    percentile(steadyCutToVisible, 99)));
        }
        if (percentile(steadySendToVisible, 99) > limit) {
            why.add(String.format(Locale.ROOT, "send-to-visible p99 %.0f ms > 2 intervals",
                    percentile(steadySendToVisible, 99)));
        }
        return why;
    }

    boolean keptUp() {
        return fellBehind().isEmpty();
    }

    String summary() {
        return String.format(Locale.ROOT, "%d agents: %d cuts, %d acknowledged (%d answered stored, the rest repeats of a "
                + "timed-out attempt), %d rejected, %d retries (%d shed with 429, %d of them past the warm-up), "
                + "backlog %d, %d watched for visibility, %d of them never visible; send-to-visible over the whole run median %.0f p99 %.0f max %.0f ms; "
                + "past the %.0f s warm-up (%.0f s): %.1f uploads/s, %.2f MB/s, send-to-visible median %.0f p99 %.0f "
                + "max %.0f ms, cut-to-visible p99 %.0f max %.0f ms, collector CPU %.0f%% of a core (%.1f ms per upload), machine CPU pressure %.0f%%; "
                + "send-to-ack median %.0f p99 %.0f ms; summarizing %.1f ms/upload; %.1f visibility queries per upload",
                agents, cuts, acknowledged, stored, rejected, retries, busyAnswers, steadyBusyAnswers, backlog, watched, notVisible,
                percentile(sendToVisible, 50), percentile(sendToVisible, 99), percentile(sendToVisible, 100),
                warmupSeconds, windowSeconds, uploadsPerSecond(), steadyBytes / windowSeconds / 1e6,
                percentile(steadySendToVisible, 50), percentile(steadySendToVisible, 99),
                percentile(steadySendToVisible, 100), percentile(steadyCutToVisible, 99),
                percentile(steadyCutToVisible, 100), cpuPercent, cpuMillisPerUpload(), 100 * cpuPressure,
                percentile(sendToAck, 50), percentile(sendToAck, 99), summarizeMillisPerUpload,
                cuts == 0 ? 0.0 : (double) visibilityQueries / cuts);
    }
}
