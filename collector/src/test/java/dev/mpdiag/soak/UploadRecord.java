package dev.mpdiag.soak;

/**
 * What became of one simulated upload. Times are System.nanoTime(); 0 means it never happened. cut: when the
 * agent would have cut it (its schedule); sent: when its last attempt started; ack: when the collector
 * answered; visible: when the series API first served the upload's last point.
 */
final class UploadRecord {
    final int agent;
    final String process;
    final long seq;
    final long cutNanos;
    final long bytes;
    /** The series and the time (epoch ms) of the upload's last point in it: visible once the API serves it. */
    final String metric;
    final long lastPointMillis;
    volatile long sentNanos;
    volatile long ackNanos;
    volatile long visibleNanos;
    /** Whether the visibility watch asked after this upload (with --visibility-sample N, one in N is). */
    volatile boolean watched;
    volatile int status;
    volatile boolean stored;
    volatile int attempts;
    /** Attempts answered 429 (the collector shed them; the agent sent them again). */
    volatile int busyAnswers;
    /** The start of a rejection's answer (the collector's JSON error). */
    volatile String answer = "";

    UploadRecord(int agent, String process, long seq, long cutNanos, long bytes, String metric, long lastPointMillis) {
        this.agent = agent;
        this.process = process;
        this.seq = seq;
        this.cutNanos = cutNanos;
        this.bytes = bytes;
        this.metric = metric;
        this.lastPointMillis = lastPointMillis;
    }

    boolean acknowledged() {
        return status >= 200 && status < 300;
    }

    /** Sent to visible in milliseconds, or -1 when it never became visible. */
    double sendToVisibleMillis() {
        return visibleNanos == 0 ? -1 : (visibleNanos - sentNanos) / 1e6;
    }

    /** Cut to visible (what a user waits when the agent's queue backs up), or -1. */
    double cutToVisibleMillis() {
        return visibleNanos == 0 ? -1 : (visibleNanos - cutNanos) / 1e6;
    }

    double sendToAckMillis() {
        return ackNanos == 0 ? -1 : (ackNanos - sentNanos) / 1e6;
    }
}
