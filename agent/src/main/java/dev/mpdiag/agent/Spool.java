package dev.mpdiag.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Uploads waiting for the collector, oldest first, bounded in memory (spool.memory) and optionally on disk
 * (spool.dir, spool.disk). When a new upload does not fit, the oldest waiting uploads are dropped and
 * counted: recent data is worth more to a live view than old data. The sender takes the head; the upload
 * it is sending is never dropped under it.
 */
final class Spool {

    private final long memoryCap;
    private final long diskCap;
    private final Path baseDir;
    private final Identity identity;
    private final Health health;
    private final ArrayDeque<Upload> queue = new ArrayDeque<>();
    private long memoryBytes;
    private long diskBytes;
    private Upload inFlight;
    private Path dir;
    private boolean diskBroken;

    Spool(long memoryCap, Path baseDir, long diskCap, Identity identity, Health health) {
        this.memoryCap = memoryCap;
        this.baseDir = baseDir;
        this.diskCap = diskCap;
        this.identity = identity;
        this.health = health;
    }

    /** The most one upload may hold; a larger cut is dropped before it is read into memory. */
    long maxUploadBytes() {
        return memoryCap;
    }

    /** Queues {@code u} behind everything already waiting, dropping the oldest when it does not fit. */
    synchronized void add(Upload u) {
        if (u.bytes > memoryCap && !(diskUsable() && u.bytes <= diskCap)) {
            drop(u); // would never fit: keep what is already waiting
            return;
        }
        while (true) {
            if (memoryBytes + u.bytes <= memoryCap) {
                memoryBytes += u.bytes;
                break;
            }
            if (diskUsable() && diskBytes + u.bytes <= diskCap && spill(u)) {
                diskBytes += u.bytes;
                break;
            }
            Upload oldest = oldestNotInFlight();
            if (oldest == null) {
                drop(u); // only the upload being sent is left, and the new one does not fit beside it
                return;
            }
            queue.remove(oldest);
            release(oldest);
            drop(oldest);
        }
        queue.addLast(u);
        health.spoolBytes.set(memoryBytes + diskBytes);
        notifyAll();
    }

    /** Waits up to {@code timeoutMillis} for an upload to send; returns it (now in flight) or null. */
    synchronized Upload take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (queue.isEmpty() || inFlight != null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        inFlight = queue.peekFirst();
        return inFlight;
    }

    /** The collector answered for {@code u} (acknowledged or rejected): it leaves the spool. */
    synchronized void done(Upload u) {
        if (queue.remove(u)) {
            release(u);
        }
        if (inFlight == u) {
            inFlight = null;
        }
        health.spoolBytes.set(memoryBytes + diskBytes);
        notifyAll();
    }

    /** Sending {@code u} failed; it stays at the head for a retry (and may now be dropped if space runs out). */
    synchronized void retryLater(Upload u) {
        if (inFlight == u) {
            inFlight = null;
        }
        notifyAll();
    }

    /** True when {@code u} is the only upload left, i.e. the last one the agent will send at exit. */
    synchronized boolean isLast(Upload u) {
        return queue.size() == 1 && queue.peekFirst() == u;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    synchronized int size() {
        return queue.size();
    }

    /** Waits until the spool is empty or the deadline passes; true when empty. */
    synchronized boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        while (!queue.isEmpty()) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Wakes a thread waiting in {@link #take} or {@link #awaitEmpty} to look again. */
    synchronized void wake() {
        notifyAll();
    }

    /** At exit: nothing will send what is left, so its spool files are deleted rather than left behind. */
    synchronized void discardAll() {
        for (Upload u : queue) {
            if (u != inFlight) {
                u.discard();
            }
        }
        if (dir != null) {
            try {
                Files.deleteIfExists(dir); // fails while the in-flight upload's file is still there; fine
            } catch (IOException | RuntimeException e) {
                AgentLog.debug("spool directory " + dir + " left behind: " + AgentLog.describe(e));
            }
        }
    }

    private boolean diskUsable() {
        return baseDir != null && !diskBroken;
    }

    private boolean spill(Upload u) {
        try {
            if (dir == null) {
                // One directory per process, so workers sharing a spool.dir never touch each other's files.
                dir = baseDir.resolve(identity.pid + "-" + identity.startMillis());
                Files.createDirectories(dir);
            }
            u.spill(dir.resolve(u.seq + ".jfr"));
            return true;
        } catch (IOException | RuntimeException e) {
            diskBroken = true;
            AgentLog.warn("disk spool " + baseDir + " unusable (" + AgentLog.describe(e) + "); spooling in memory only");
            health.error("disk spool: " + AgentLog.describe(e));
            return false;
        }
    }

    private Upload oldestNotInFlight() {
        for (Iterator<Upload> it = queue.iterator(); it.hasNext(); ) {
            Upload u = it.next();
            if (u != inFlight) {
                return u;
            }
        }
        return null;
    }

    private void release(Upload u) {
        if (u.onDisk()) {
            diskBytes -= u.bytes;
        } else {
            memoryBytes -= u.bytes;
        }
        u.discard();
    }

    private void drop(Upload u) {
        health.dropped(u.bytes);
        u.discard();
        AgentLog.debug("spool full: dropped upload seq " + u.seq + " (" + u.bytes + " bytes)");
    }
}
