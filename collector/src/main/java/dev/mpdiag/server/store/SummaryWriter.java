package dev.mpdiag.server.store;

import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.SummaryCodec;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Encodes and writes the summaries of stored uploads on its own thread, after the upload was acknowledged.
 * <p>
 * A summary is derived data: {@link ProcessStore#readSummary} makes it again from the upload's chunks when its
 * file is missing or damaged. So it needs neither an fsync nor a place on the request path, where encoding it
 * (6.4% of the collector's CPU samples at 768 agents in BENCHMARKS.md's profile) and writing and fsyncing its
 * file held every upload up. Until written, the summary is served from the cache's pending set. At most
 * {@link #MAX_QUEUED} wait: past that the uploading thread writes its own (back-pressure instead of a growing heap).
 */
final class SummaryWriter implements AutoCloseable {
    static final int MAX_QUEUED = 64;

    private record Job(ProcessStore process, long seq, Summary summary) {
    }

    private static final Job STOP = new Job(null, 0, null);

    private final SummaryCache cache;
    private final Consumer<String> warn;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;

    SummaryWriter(SummaryCache cache, Consumer<String> warn) {
        this.cache = cache;
        this.warn = warn;
        this.thread = new Thread(this::run, "mpdiag-summary-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the summary of a just-stored upload servable at once and has it written soon. */
    void submit(ProcessStore p, long seq, Summary s) {
        cache.putPending(p.id(), seq, s);
        Job job = new Job(p, seq, s);
        if (!thread.isAlive() || !queue.offer(job)) {
            write(job);
        }
    }

    private void run() {
        try {
            for (Job job = queue.take(); job != STOP; job = queue.take()) {
                write(job);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(Job job) {
        long size = 0;
        try {
            byte[] encoded = SummaryCodec.encode(job.summary);
            size = encoded.length;
            job.process.writeSummary(job.seq, encoded);
        } catch (IOException | RuntimeException e) {
            // Served from memory meanwhile; once evicted, the next read makes it again from the chunks.
            warn.accept(job.process.id() + " #" + job.seq + ": could not write its summary: " + e.getMessage());
        }
        cache.written(job.process.id(), job.seq, size);
    }

    /** Writes whatever is still queued, then stops the thread. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job job; (job = queue.poll()) != null; ) {
            if (job != STOP) {
                write(job);
            }
        }
    }
}
