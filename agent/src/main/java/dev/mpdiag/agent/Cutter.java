package dev.mpdiag.agent;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Cuts the agent's JFR recording every interval (the "mpagent-cutter" thread) and spools the chunks no
 * earlier cut took, as one upload per cut.
 *
 * <p>A cut is {@code recording.copy(true)}: the copy is stopped, which closes the chunk being written, and
 * holds every finished chunk; {@code getStream} works on it (on the running recording it throws). The same
 * chunk can come back in the next copy, so a chunk is taken only when its header's start time is after the
 * newest start taken so far.
 *
 * <p>At JVM exit, JFR's own shutdown hook runs concurrently with ours: it stops every running recording and
 * then deletes the repository, chunk files included, all under the recorder's lock (the same code in JDK 17
 * and 25). A cut that copied the recording but has not opened the chunk files yet finds them gone; in tests
 * on both JDKs that happened in about half the runs where our hook got to cut first, and most runs JFR's
 * hook stops the recording before ours starts. So the cutter also listens for our recording's stop: the
 * listener runs on JFR's hook thread after the stop has closed the last chunk and before the repository is
 * deleted, and takes whatever is left ({@link #finish} waits for it). Either way every chunk is taken once.
 */
final class Cutter implements Runnable {

    /** A second recorder whose data goes with each cut (async-profiler): one complete JFR recording per call. */
    interface Extra {
        /** The data since the last call, or null; {@code last}: the recorder stops for good. */
        byte[] cut(boolean last) throws IOException;
    }

    // A failing cut skips 1, 2, 4 ... intervals (at most 64) so a broken recorder neither spins nor floods stderr.
    private static final int MAX_BACKOFF_INTERVALS = 64;

    private final Recording recording;
    private final Spool spool;
    private final Health health;
    private final long intervalMillis;
    private final Runnable onFirstCut;
    /** async-profiler's files, or null; set to null for good after it fails. */
    private volatile Extra extra;
    private final Runnable onExtraFailed;
    /** Measures the agent's own cost before each cut, so the cut carries its mpdiag.AgentCost; or null. */
    private final CostMeter cost;
    private final CountDownLatch tailTaken = new CountDownLatch(1);
    private final Object tick = new Object();
    /**
     * Guards the chunk ledger below: held while a stream is split and its upload queued, never while calling
     * into JFR (JFR's hook holds the recorder lock when it calls the listener, which then takes this one).
     */
    private final Object cutLock = new Object();
    private long takenStartNanos = Long.MIN_VALUE;
    private long nextSeq = 1;
    private boolean warnedOversize;
    /** End of the newest chunk taken, epoch nanos; where the next stream may start (read without the lock). */
    private volatile long takenEndNanos = Long.MIN_VALUE;
    private volatile boolean exiting;

    Cutter(Recording recording, Spool spool, Health health, long intervalMillis, Runnable onFirstCut) {
        this(recording, spool, health, intervalMillis, onFirstCut, null, () -> { }, null);
    }

    /** {@code onExtraFailed} runs once when {@code extra} fails, which is then no longer asked. */
    Cutter(Recording recording, Spool spool, Health health, long intervalMillis, Runnable onFirstCut, Extra extra,
            Runnable onExtraFailed, CostMeter cost) {
        this.cost = cost;
        this.extra = extra;
        this.onExtraFailed = onExtraFailed;
        this.recording = recording;
        this.spool = spool;
        this.health = health;
        this.intervalMillis = intervalMillis;
        this.onFirstCut = onFirstCut;
    }

    /** Listens for our recording's stop (JFR's shutdown hook, or JFR.stop), to take the last chunks. */
    FlightRecorderListener stopListener() {
        return new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording r) {
                if (r == recording && r.getState() == RecordingState.STOPPED) {
                    takeTail();
                }
            }
        };
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        int backoff = 0;
        boolean first = true;
        while (true) {
            next += (backoff == 0 ? 1 : backoff) * intervalMillis * 1_000_000;
            long now = System.nanoTime();
            if (next - now < 0) {
                // A late cut (a stalled machine) is not made up for with a burst: every cut closes a chunk,
                // and each chunk carries a fixed few hundred KB. Cut now and keep the interval from here.
                next = now;
            }
            if (!waitUntil(next)) {
                return; // exiting: the exit hook makes the last cut
            }
            try {
                if (first) {
                    first = false;
                    onFirstCut.run();
                }
                if (recording.getState() != RecordingState.RUNNING) {
                    return; // stopped by JFR.stop or at exit; the listener took the tail
                }
                if (cost != null) {
                    cost.sample();
                }
                cut();
                backoff = 0;
            } catch (Throwable t) {
                if (exiting || recordingIsOver()) {
                    return;
                }
                backoff = backoff == 0 ? 1 : Math.min(2 * backoff, MAX_BACKOFF_INTERVALS);
                health.error("cut: " + AgentLog.describe(t));
                AgentLog.warn("cut failed (" + AgentLog.describe(t) + "); skipping " + backoff + " interval(s)");
            }
        }
    }

    /** One cut: copy the recording, take the new chunks, queue them as one upload. */
    void cut() throws IOException {
        long started = System.nanoTime();
        Recording copy = recording.copy(true);
        try {
            // The end is read only now: an end taken before copy(true) returns falls inside the chunk the copy
            // just closed, so the next cut would hand that chunk out again.
            Instant end = Instant.now();
            long fromNanos = takenEndNanos;
            Instant from = fromNanos == Long.MIN_VALUE ? null : instantOf(fromNanos);
            if (from != null && from.isAfter(end)) {
                from = end;
            }
            take(copy.getStream(from, end), false, started);
        } finally {
            copy.close();
        }
    }

    /**
     * At exit: cut once more unless JFR already stopped the recording, then wait (at most until
     * {@code deadlineNanos}) for JFR's stop to hand the listener the rest.
     */
    void finish(long deadlineNanos) throws InterruptedException {
        exiting = true;
        synchronized (tick) {
            tick.notifyAll();
        }
        // getState waits while JFR's hook holds the recorder lock, i.e. until its stop (and our listener) is done.
        boolean running = recording.getState() == RecordingState.RUNNING;
        if (!running || tailTaken.getCount() == 0) {
            AgentLog.debug("exit: JFR's shutdown hook stopped the recording first; the listener takes the last chunks");
        } else {
            AgentLog.debug("exit: final cut before JFR's shutdown hook stops the recording");
            try {
                if (cost != null) {
                    cost.sample(); // the last window's cost; lost when JFR's hook wins, as the listener's chunk is already closed
                }
                cut();
            } catch (IOException | RuntimeException e) {
                // JFR's hook won the race and deleted the files; its stop gave the listener the same chunks.
                AgentLog.debug("final cut: " + AgentLog.describe(e));
            }
        }
        long waitNanos = deadlineNanos - System.nanoTime();
        if (waitNanos > 0 && !tailTaken.await(waitNanos, TimeUnit.NANOSECONDS)) {
            AgentLog.debug("JFR did not stop the recording in time; sending without its last chunk");
        }
    }

    private void takeTail() {
        long started = System.nanoTime();
        try {
            long fromNanos = takenEndNanos;
            // At exit the caller is JFR's hook thread inside PlatformRecorder.destroy: it already holds the
            // recorder lock getStream takes (reentrant), and deletes the repository only after we return.
            take(recording.getStream(fromNanos == Long.MIN_VALUE ? null : instantOf(fromNanos), null),
                    true, started);
        } catch (Throwable t) {
            // JFR's shutdown hook thread is the caller: nothing may escape.
            health.error("last cut: " + AgentLog.describe(t));
            AgentLog.debug("last cut failed: " + AgentLog.describe(t));
        } finally {
            tailTaken.countDown();
        }
    }

    /** Splits {@code in} (null: no chunks), keeps the chunks no earlier cut took, and queues them. */
    private void take(InputStream in, boolean afterStop, long startedNanos) throws IOException {
        if (in == null) {
            return;
        }
        String what = afterStop ? "last cut" : "cut";
        synchronized (cutLock) {
            try (InputStream chunks = in) {
                ChunkSplitter.Result r = ChunkSplitter.read(chunks, takenStartNanos, spool.maxUploadBytes());
                byte[] more = extraCut(afterStop, r.overBudget ? 0 : spool.maxUploadBytes() - r.newBytes);
                if (r.newChunks == 0 && more == null) {
                    AgentLog.debug(what + ": nothing new (" + r.duplicates + " chunk(s) already sent)");
                    return; // an empty cut is not sent and does not use up a sequence number
                }
                if (r.newChunks > 0) {
                    takenStartNanos = r.newestStartNanos;
                    takenEndNanos = r.newestEndNanos;
                }
                if (more != null && !r.overBudget) {
                    r.chunks.add(more);
                }
                long seq = nextSeq++;
                if (r.overBudget) {
                    health.dropped(r.newBytes);
                    health.error("cut seq " + seq + " of " + r.newBytes + " bytes exceeds spool.memory; dropped");
                    if (!warnedOversize) {
                        warnedOversize = true;
                        AgentLog.warn("a cut of " + r.newBytes + " bytes exceeds spool.memory="
                                + Units.formatBytes(spool.maxUploadBytes()) + " and was dropped;"
                                + " raise spool.memory or shorten interval");
                    }
                    return;
                }
                spool.add(new Upload(seq, r.chunks, afterStop));
                AgentLog.debug(what + " seq " + seq + ": " + r.newChunks + " chunk(s), " + r.newBytes + " bytes, "
                        + (more == null ? "" : "async-profiler " + more.length + " bytes, ")
                        + r.duplicates + " duplicate(s) skipped, "
                        + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");
            }
        }
    }

    /**
     * The extra recorder's data for this cut, or null; data over {@code budget} bytes is dropped and counted.
     * A failure switches it off for good: one warning, and {@link #onExtraFailed} gives JFR its samples back.
     */
    private byte[] extraCut(boolean last, long budget) {
        Extra e = extra;
        if (e == null) {
            return null;
        }
        try {
            byte[] data = e.cut(last);
            if (data != null && data.length > budget) {
                health.dropped(data.length);
                health.error("async-profiler data of " + data.length + " bytes exceeds spool.memory; dropped");
                return null;
            }
            return data == null || data.length == 0 ? null : data;
        } catch (Throwable t) {
            extra = null;
            health.error("async-profiler: " + AgentLog.describe(t));
            AgentLog.warn("async-profiler failed (" + AgentLog.describe(t) + "); sampling with JFR from now on");
            try {
                onExtraFailed.run();
            } catch (Throwable again) {
                AgentLog.debug("JFR sampling not restored: " + AgentLog.describe(again));
            }
            return null;
        }
    }

    /** Sleeps until {@code deadline} (System.nanoTime); false when woken because the JVM is exiting. */
    private boolean waitUntil(long deadline) {
        synchronized (tick) {
            long left;
            while (!exiting && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(tick, left);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !exiting;
        }
    }

    private boolean recordingIsOver() {
        try {
            return recording.getState() != RecordingState.RUNNING;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static Instant instantOf(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }
}
