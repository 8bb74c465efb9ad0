package dev.mpdiag.server;

import dev.mpdiag.engine.ChunkSummarizer;
import dev.mpdiag.engine.JvmInfo;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.jfr.JfrFormatException;
import dev.mpdiag.server.api.FormFields;
import dev.mpdiag.server.store.ProcessIdentity;
import dev.mpdiag.server.store.ProcessMeta;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.StoredEntry;
import dev.mpdiag.server.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Takes JFR chunks for a process: validates them, drops chunks already stored, summarizes the rest once with
 * the engine, and stores chunks and summary durably before anyone is told they were accepted.
 */
public final class Ingestor {
    /** Offset of the chunk's start time (epoch nanos) in its header. */
    private static final int CHUNK_START_NANOS = 32;

    /** What became of one upload. */
    public record Result(String process, long seq, boolean stored, int chunks, long bytes) {
    }

    private final Store store;
    public final AtomicLong uploads = new AtomicLong();
    public final AtomicLong bytes = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong summarizeNanos = new AtomicLong();
    /** Bounds the agents' uploads in work at once (post-run uploads of files are not bounded by it). */
    public final IngestAdmission admission = IngestAdmission.forThisMachine();

    public Ingestor(Store store) {
        this.store = store;
    }

    /** Stores an agent's upload: its labels, health, interval, profile and agent version go into the meta. */
    public Result ingest(AgentUpload u) throws IOException {
        Map<String, String> labels = FormFields.parse(u.labels(), "labels");
        Map<String, String> health = FormFields.parse(u.health(), "health");
        return ingest(u.identity(), u.seq(), u.body(), u.last(), m -> m.kind = ProcessMeta.AGENT, m -> {
            m.labels = labels;
            m.health = health;
            if (u.intervalMillis() > 0) {
                m.intervalMillis = u.intervalMillis();
            }
            m.profile = u.profile();
            m.agentVersion = u.agentVersion();
        });
    }

    /**
     * Stores one upload of a process. update fills the process's meta (labels, health) once the data is
     * known to be good; it runs under the process's lock.
     */
    public Result ingest(ProcessIdentity identity, long seq, ByteBuffer body, boolean last, Consumer<ProcessMeta> init,
            Consumer<ProcessMeta> update) throws IOException {
        // Liveness counts from the upload's arrival: summarizing a chunk on a busy collector can take seconds,
        // and that delay says nothing about the worker.
        long arrived = System.currentTimeMillis();
        ProcessStore existing = store.get(identity.id());
        if (existing != null && existing.has(seq)) {
            duplicates.incrementAndGet();
            touch(existing, update, null, last, arrived);
            return new Result(identity.id(), seq, false, 0, 0);
        }
        List<ByteBuffer> chunks = split(body);
        List<ByteBuffer> fresh = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (ByteBuffer c : chunks) {
            long start = c.getLong(CHUNK_START_NANOS);
            // The agent's cut can hand back a chunk it already sent; the chunk's start time names it.
            if ((existing == null || !existing.hasChunk(start)) && !starts.contains(start)) {
                fresh.add(c);
                starts.add(start);
            }
        }
        long t0 = System.nanoTime();
        Summary summary = new Summary();
        for (ByteBuffer c : fresh) {
            try {
                summary.merge(ChunkSummarizer.summarize(c.duplicate()));
            } catch (JfrFormatException | RuntimeException e) {
                rejected.incrementAndGet();
                throw ApiException.badRequest("bad JFR", "a chunk could not be parsed: " + e.getMessage());
            }
        }
        summarizeNanos.addAndGet(System.nanoTime() - t0);
        // A new process is listed only once its labels are in: the registry never shows it half made.
        ProcessStore p = store.getOrCreate(identity, m -> {
            init.accept(m);
            update.accept(m);
        });
        // When every chunk was a repeat, the seq is still stored (with no chunks) so a retry stays idempotent.
        long[] startArray = starts.stream().mapToLong(Long::longValue).toArray();
        StoredEntry e;
        synchronized (p) {
            e = p.store(seq, fresh, startArray, chunks.get(0).getLong(CHUNK_START_NANOS), summary, last,
                    System.currentTimeMillis());
            if (e == null) {
                duplicates.incrementAndGet();
                touch(p, update, null, last, arrived);
                return new Result(identity.id(), seq, false, 0, 0);
            }
            // Under the process's lock: a query that sees the new entry finds its summary in memory.
            store.stored(p, seq, summary);
            touch(p, update, summary.jvm, last, arrived);
        }
        uploads.incrementAndGet();
        bytes.addAndGet(e.bytes());
        return new Result(identity.id(), seq, true, fresh.size(), e.bytes());
    }

    private List<ByteBuffer> split(ByteBuffer body) {
        ChunkSplitter.Split split;
        try {
            split = ChunkSplitter.split(body);
        } catch (JfrFormatException e) {
            rejected.incrementAndGet();
            throw ApiException.badRequest("not JFR", e.getMessage());
        }
        if (split.warning() != null) {
            // A partial chunk is never stored: the agent sends whole chunks, so this upload was damaged.
            rejected.incrementAndGet();
            throw ApiException.badRequest("truncated JFR", split.warning());
        }
        return split.chunks();
    }

    private static void touch(ProcessStore p, Consumer<ProcessMeta> update, JvmInfo jvm, boolean last,
            long arrived) throws IOException {
        synchronized (p) {
            ProcessMeta m = p.meta();
            update.accept(m);
            m.lastSeenMillis = Math.max(m.lastSeenMillis, arrived);
            if (m.firstSeenMillis == 0) {
                m.firstSeenMillis = m.lastSeenMillis;
            }
            boolean wasExited = m.exited;
            m.exited |= last;
            if (jvm != null && m.jvmName == null && jvm.jvmName != null) {
                m.jvmName = jvm.jvmName;
                m.jvmVersion = jvm.jvmVersion;
                m.jvmArguments = jvm.jvmArguments;
                m.javaArguments = jvm.javaArguments;
            }
            if (last && !wasExited) {
                p.saveMeta(false); // rare, and what a user looks for after a restart: written at once
            } else {
                p.metaChanged();
            }
        }
    }
}
