package dev.mpdiag.jfr;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Parsed chunk metadata, shared by chunks whose metadata events describe the same types. A JVM writes the same
 * metadata into chunk after chunk (it changes only when an event class is registered), and parsing it was 13-26%
 * of the collector's CPU under load. The key is the event's content after its per-chunk header fields (size,
 * start, duration, metadata id), found by CRC32C and confirmed byte for byte, so two different metadata events
 * never share a parse. Safe to share: a {@link Metadata} is not changed after {@link Metadata#read}.
 */
final class MetadataCache {
    static final MetadataCache SHARED = new MetadataCache(32);

    private record Entry(byte[] content, Metadata metadata) {
    }

    private final Map<Long, Entry> entries;
    private long hits;
    private long misses;

    MetadataCache(int capacity) {
        // Bounded and least-recently-used: a collector sees a handful of JDK builds and event sets, not thousands.
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The metadata of the event at offset in chunk: parsed before by an equal event, or now. */
    Metadata read(ByteBuffer chunk, ByteInput in, int offset) throws JfrFormatException {
        in.position(offset);
        long size = in.readVarlong();
        long typeId = in.readVarlong();
        if (typeId != 0 || size <= 0 || offset + size > in.limit()) {
            in.position(offset);
            return Metadata.read(in); // says what is wrong
        }
        in.readVarlong(); // start time
        in.readVarlong(); // duration
        in.readVarlong(); // metadata id
        int from = in.position();
        int to = (int) (offset + size);
        if (from >= to) {
            in.position(offset);
            return Metadata.read(in);
        }
        ByteBuffer content = chunk.slice(from, to - from);
        CRC32C crc = new CRC32C();
        crc.update(content.duplicate());
        long key = crc.getValue() << 32 | (to - from);
        Entry e;
        synchronized (this) {
            e = entries.get(key);
        }
        if (e != null && ByteBuffer.wrap(e.content).equals(content)) {
            synchronized (this) {
                hits++;
            }
            return e.metadata;
        }
        in.position(offset);
        Metadata md = Metadata.read(in);
        byte[] copy = new byte[to - from];
        content.duplicate().get(copy);
        synchronized (this) {
            misses++;
            entries.put(key, new Entry(copy, md));
        }
        return md;
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
