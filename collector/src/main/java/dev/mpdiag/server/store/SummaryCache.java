package dev.mpdiag.server.store;

import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently used chunk summaries, bounded by their encoded size on disk (a proxy for their heap), so
 * queries over the last minutes never touch the disk while memory stays bounded however much is stored.
 * Cached summaries are shared: callers merge them into a fresh Summary and never modify them.
 * <p>
 * A summary just made at ingest is pending until {@link SummaryWriter} has written it: it is served from here
 * but never evicted (the disk does not have it yet). The writer bounds how many are pending.
 */
public final class SummaryCache {
    private record Key(String process, long seq) {
    }

    private record Held(Summary summary, long weight) {
    }

    /**
     * Heap a decoded summary takes per byte of its encoded form (objects, boxed maps): bench/src/SummaryHeap.java
     * measured 11.8 and 11.5 on two real mpagent recordings. It was 4, a guess, and then a cache of 256 MB held
     * about 750 MB: a collector with -Xmx512m ran full GCs back to back from 384 agents on (bench/soak-load.sh,
     * 450 MB live after each, 0.4 s pauses every 0.8 s), and its CPU per upload tripled.
     */
    static final int HEAP_PER_ENCODED_BYTE = 12;

    private final long maxWeight;
    private final LinkedHashMap<Key, Held> map = new LinkedHashMap<>(256, 0.75f, true);
    private final HashMap<Key, Summary> pending = new HashMap<>();
    private long weight;
    private long hits;
    private long misses;

    public SummaryCache(long maxBytes) {
        this.maxWeight = maxBytes;
    }

    public Summary get(ProcessStore p, StoredEntry e) throws IOException {
        Key k = new Key(p.id(), e.seq());
        synchronized (this) {
            Held h = map.get(k);
            if (h != null) {
                hits++;
                return h.summary;
            }
            Summary unwritten = pending.get(k);
            if (unwritten != null) {
                hits++;
                return unwritten;
            }
            misses++;
        }
        ProcessStore.ReadSummary read = p.readSummary(e.seq());
        // Cached even when retention is deleting this upload meanwhile: queries find summaries through the index's
        // entries, so that one is never served again; it only holds its weight in the budget until evicted.
        put(p.id(), e.seq(), read.summary(), read.encodedBytes());
        return read.summary();
    }

    /** Holds a summary just made at ingest until it is written, so the first query after an upload finds it. */
    synchronized void putPending(String process, long seq, Summary s) {
        pending.put(new Key(process, seq), s);
    }

    /** The summary is on disk now (or could not be written, and will be made again from its chunks if asked). */
    synchronized void written(String process, long seq, long encodedBytes) {
        Summary s = pending.remove(new Key(process, seq));
        if (s != null && encodedBytes > 0) { // 0: it could not even be encoded, so its weight is unknown
            put(process, seq, s, encodedBytes);
        }
    }

    synchronized int pending() {
        return pending.size();
    }

    /** Adds a summary that is on disk, weighed by its encoded size. */
    synchronized void put(String process, long seq, Summary s, long encodedBytes) {
        long w = encodedBytes * HEAP_PER_ENCODED_BYTE;
        Held old = map.put(new Key(process, seq), new Held(s, w));
        weight += w - (old == null ? 0 : old.weight);
        Iterator<Map.Entry<Key, Held>> it = map.entrySet().iterator();
        while (weight > maxWeight && it.hasNext()) {
            Map.Entry<Key, Held> eldest = it.next();
            if (map.size() == 1) {
                break;
            }
            weight -= eldest.getValue().weight;
            it.remove();
        }
    }

    public synchronized void evict(String process, long seq) {
        pending.remove(new Key(process, seq));
        Held h = map.remove(new Key(process, seq));
        if (h != null) {
            weight -= h.weight;
        }
    }

    public synchronized long weight() {
        return weight;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
