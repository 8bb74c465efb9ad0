package dev.mpdiag.sample.worker;

import java.util.concurrent.atomic.AtomicLong;

/** Who this worker is and how many requests it has served, as reported by STATUS and the response header. */
final class WorkerState {
    private final int index;
    private final long pid = ProcessHandle.current().pid();
    private final long startNanos = System.nanoTime();
    private final AtomicLong requests = new AtomicLong();
    private volatile int port;

    WorkerState(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }

    long pid() {
        return pid;
    }

    int port() {
        return port;
    }

    void port(int bound) {
        this.port = bound;
    }

    long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    long requests() {
        return requests.get();
    }

    /** Counts one request and returns its sequence number, from 1. */
    long nextRequest() {
        return requests.incrementAndGet();
    }

    /** The value of the X-Mpdiag-Worker header. */
    String header() {
        return index + "/" + pid;
    }
}
