package dev.mpdiag.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.engine.ChunkSummarizer;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.SummaryCodec;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.jfr.JfrFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One process's folder: process.json, an append-only index of acknowledged uploads, and per upload its JFR
 * chunks ({@code SEQ.jfr}) and the engine's summary of them ({@code SEQ.sum}). An upload is acknowledged only
 * once its chunks and its index line are fsynced, so what the index lists is what was acknowledged. The summary
 * is derived data, written after the acknowledgement and made again from the chunks when it is missing.
 */
public final class ProcessStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String META = "process.json";
    static final String INDEX = "index";

    private final Path dir;
    private final ProcessMeta meta;
    private final TreeMap<Long, StoredEntry> entries = new TreeMap<>();
    private final Set<Long> chunkStarts = new HashSet<>();
    private long bytes;
    private boolean metaChanged;

    private ProcessStore(Path dir, ProcessMeta meta) {
        this.dir = dir;
        this.meta = meta;
    }

    /** Creates the folder of a new process and saves its meta durably. */
    static ProcessStore create(Path processesDir, ProcessMeta meta) throws IOException {
        Path dir = processesDir.resolve(meta.identity().dirName());
        Files.createDirectories(dir);
        ProcessStore p = new ProcessStore(dir, meta);
        p.saveMeta(true);
        DurableFiles.syncDirectory(processesDir);
        return p;
    }

    /**
     * Reads a folder back after a restart: the index is the truth; files it does not list (an upload whose
     * acknowledgement never went out) are deleted, and a damaged last line is dropped.
     */
    static ProcessStore load(Path dir, Consumer<String> warn) throws IOException {
        ProcessMeta meta = JSON.readValue(dir.resolve(META).toFile(), ProcessMeta.class);
        ProcessStore p = new ProcessStore(dir, meta);
        Path index = dir.resolve(INDEX);
        boolean damaged = false;
        if (Files.exists(index)) {
            String text = Files.readString(index, StandardCharsets.UTF_8);
            damaged = !text.isEmpty() && !text.endsWith("\n");
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                StoredEntry e = StoredEntry.parse(line);
                if (e == null || !Files.exists(p.chunkFile(e.seq()))) {
                    damaged = true;
                    continue;
                }
                p.remember(e);
            }
        }
        if (damaged) {
            warn.accept(meta.id + ": dropped a damaged index line (a crash during an upload that was never acknowledged)");
            p.rewriteIndex();
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp") || (name.endsWith(".jfr") || name.endsWith(".sum")) && !p.listed(name)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return p;
    }

    private boolean listed(String fileName) {
        try {
            return entries.containsKey(Long.parseLong(fileName.substring(0, fileName.indexOf('.'))));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void remember(StoredEntry e) {
        entries.put(e.seq(), e);
        for (long s : e.chunkStarts()) {
            chunkStarts.add(s);
        }
        bytes += e.bytes();
    }

    public ProcessMeta meta() {
        return meta;
    }

    public String id() {
        return meta.id;
    }

    public synchronized boolean has(long seq) {
        return entries.containsKey(seq);
    }

    /** True when a chunk starting at this time (epoch nanos) is already stored: the agent re-sent it. */
    public synchronized boolean hasChunk(long startNanos) {
        return chunkStarts.contains(startNanos);
    }

    /**
     * Stores an upload durably: chunk file written and fsynced, the folder fsynced for its new name, then the
     * index line appended and fsynced: three fsyncs, no renames. The chunk file needs no rename to be safe: it
     * is a new name only the index can make real, and {@link #load} deletes one the index does not list (a
     * crash before the acknowledgement). The summary is not written here: it is derived from the chunks, and
     * {@link SummaryWriter} writes it after the acknowledgement ({@link #writeSummary}).
     * Returns the entry, or null when seq is already stored (a retry after a lost acknowledgement).
     */
    public synchronized StoredEntry store(long seq, List<ByteBuffer> chunks, long[] starts, long firstStartNanos,
            Summary summary, boolean last, long nowMillis) throws IOException {
        if (entries.containsKey(seq)) {
            return null;
        }
        long size = 0;
        for (ByteBuffer c : chunks) {
            size += c.remaining();
        }
        DurableFiles.writeUnlisted(chunkFile(seq), chunks);
        DurableFiles.syncDirectory(dir);
        boolean covered = summary.startNanos() <= summary.endNanos();
        long start = covered ? summary.startNanos() : firstStartNanos;
        long end = covered ? summary.endNanos() : firstStartNanos;
        StoredEntry e = new StoredEntry(seq, start, end, size, nowMillis, last, starts);
        DurableFiles.append(dir.resolve(INDEX), e.toLine().getBytes(StandardCharsets.UTF_8));
        remember(e);
        return e;
    }

    /**
     * Writes an upload's encoded summary, not fsynced: after a crash a missing or damaged one is made again from
     * the chunks ({@link #readSummary}). Skipped when retention deleted the upload meanwhile.
     */
    synchronized void writeSummary(long seq, byte[] encoded) throws IOException {
        if (entries.containsKey(seq)) {
            DurableFiles.write(summaryFile(seq), encoded, false);
        }
    }

    /** Saves process.json now; fsynced when sync (a new process: its folder is not real until this file is). */
    public synchronized void saveMeta(boolean sync) throws IOException {
        DurableFiles.write(dir.resolve(META), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta), sync);
        metaChanged = false;
    }

    /**
     * Notes that the meta changed (labels, health and last-seen time come with every upload); {@link #flushMeta}
     * writes it. Writing process.json on every upload was a JSON document, a file and a rename each time (3% of
     * the collector's CPU at 256 agents); what a crash can lose this way is the health and last-seen times since the
     * last flush, which the next upload brings again. Labels and identity are saved when the folder is made.
     */
    public synchronized void metaChanged() {
        metaChanged = true;
    }

    /** Writes process.json when it changed since it was last written (not fsynced). */
    public synchronized void flushMeta() throws IOException {
        if (metaChanged) {
            saveMeta(false);
        }
    }

    public synchronized List<StoredEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized List<StoredEntry> entries(long fromMillis, long toMillis) {
        List<StoredEntry> out = new ArrayList<>();
        for (StoredEntry e : entries.values()) {
            if (e.overlaps(fromMillis, toMillis)) {
                out.add(e);
            }
        }
        return out;
    }

    public synchronized StoredEntry latest() {
        return entries.isEmpty() ? null : entries.lastEntry().getValue();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }

    public Path chunkFile(long seq) {
        return dir.resolve(seq + ".jfr");
    }

    Path summaryFile(long seq) {
        return dir.resolve(seq + ".sum");
    }

    Path dir() {
        return dir;
    }

    /**
     * Reads the stored summary of an upload. One the engine can no longer read (written by an older version,
     * damaged, or never written: a crash before {@link SummaryWriter} got to it) is made again from the upload's
     * chunks, which are the truth, and saved.
     */
    ReadSummary readSummary(long seq) throws IOException {
        try {
            byte[] stored = Files.readAllBytes(summaryFile(seq));
            return new ReadSummary(SummaryCodec.decode(stored), stored.length);
        } catch (IOException unreadable) {
            Summary s = new Summary();
            try {
                if (Files.size(chunkFile(seq)) > 0) {
                    for (ByteBuffer c : ChunkSplitter.split(chunkFile(seq)).chunks()) {
                        s.merge(ChunkSummarizer.summarize(c));
                    }
                }
            } catch (JfrFormatException e) {
                throw new IOException(meta.id + " #" + seq + ": chunk unreadable: " + e.getMessage(), e);
            }
            byte[] encoded = SummaryCodec.encode(s);
            writeSummary(seq, encoded);
            return new ReadSummary(s, encoded.length);
        }
    }

    /** A summary read back, and the size of its encoded form (what the cache weighs it by). */
    record ReadSummary(Summary summary, long encodedBytes) {
    }

    /** Deletes the given uploads (retention): index first, so a crash midway never lists a deleted file. */
    synchronized long delete(List<StoredEntry> gone) throws IOException {
        long freed = 0;
        for (StoredEntry e : gone) {
            if (entries.remove(e.seq()) != null) {
                for (long s : e.chunkStarts()) {
                    chunkStarts.remove(s);
                }
                bytes -= e.bytes();
                freed += e.bytes();
            }
        }
        rewriteIndex();
        for (StoredEntry e : gone) {
            Files.deleteIfExists(chunkFile(e.seq()));
            Files.deleteIfExists(summaryFile(e.seq()));
        }
        return freed;
    }

    private void rewriteIndex() throws IOException {
        StringBuilder b = new StringBuilder();
        for (StoredEntry e : entries.values()) {
            b.append(e.toLine());
        }
        DurableFiles.write(dir.resolve(INDEX), b.toString().getBytes(StandardCharsets.UTF_8), true);
    }

    /** Removes the whole folder (retention, once nothing of the process is left). */
    synchronized void deleteAll() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
