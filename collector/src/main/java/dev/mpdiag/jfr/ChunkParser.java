package dev.mpdiag.jfr;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses one chunk: header, metadata and constant pools up front, then a single pass over the events
 * that hands each event of a registered type to its handler. Unregistered events are skipped by their
 * size prefix without decoding.
 */
public final class ChunkParser {
    private static final int METADATA_TYPE = 0;
    private static final int CHECKPOINT_TYPE = 1;
    private static final long MAX_TYPE_ID = 1 << 20;

    /** Receives each event of one type; reads fields from the view it was registered with. */
    @FunctionalInterface
    public interface Handler {
        void handle(EventView event) throws JfrFormatException;
    }

    private final ByteInput in;
    private final ChunkHeader header;
    private final Metadata metadata;
    private final ConstantPools pools;
    private final Map<Long, EventView> views = new HashMap<>();
    // Indexed by type id (JFR ids are small), so the per-event lookup does not box.
    private Handler[] handlers = new Handler[0];
    private EventView[] handlerViews = new EventView[0];
    private long eventCount;

    public ChunkParser(ByteBuffer chunk) throws JfrFormatException {
        try {
            in = new ByteInput(chunk);
            header = ChunkHeader.read(chunk, 0);
            if (header.chunkSize > chunk.limit()) {
                throw new JfrFormatException("truncated chunk: header says " + header.chunkSize + " bytes");
            }
            metadata = MetadataCache.SHARED.read(chunk, in, (int) header.metadataOffset);
            pools = new ConstantPools(in, metadata, header);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new JfrFormatException("corrupt chunk: data runs past its end");
        }
    }

    public ChunkHeader header() {
        return header;
    }

    public Metadata metadata() {
        return metadata;
    }

    public ConstantPools pools() {
        return pools;
    }

    /** Registers a handler for an event type; returns its view, or null when this chunk has no such type. */
    public EventView on(String eventType, Handler handler) {
        JfrType t = metadata.type(eventType);
        if (t == null) {
            return null;
        }
        if (t.id < 0 || t.id > MAX_TYPE_ID) {
            return null;
        }
        EventView v = views.computeIfAbsent(t.id, id -> new EventView(t, header));
        int id = (int) t.id;
        if (id >= handlers.length) {
            handlers = java.util.Arrays.copyOf(handlers, id + 1);
            handlerViews = java.util.Arrays.copyOf(handlerViews, id + 1);
        }
        handlers[id] = handler;
        handlerViews[id] = v;
        return v;
    }

    /** Number of events (of any type) seen by the last run. */
    public long eventCount() {
        return eventCount;
    }

    /** Walks every event of the chunk once. */
    public void run() throws JfrFormatException {
        ByteInput input = in;
        int pos = ChunkHeader.SIZE;
        int end = (int) header.chunkSize;
        long count = 0;
        try {
            while (pos < end) {
                input.position(pos);
                int size = input.readVarint();
                if (size <= 0 || pos + size > end) {
                    throw new JfrFormatException("corrupt event size " + size + " at offset " + pos);
                }
                long typeId = input.readVarlong();
                if (typeId != METADATA_TYPE && typeId != CHECKPOINT_TYPE) {
                    count++;
                    Handler h = typeId < handlers.length ? handlers[(int) typeId] : null;
                    if (h != null) {
                        EventView v = handlerViews[(int) typeId];
                        v.decode(input);
                        h.handle(v);
                    }
                }
                pos += size;
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new JfrFormatException("corrupt event data near offset " + pos);
        }
        eventCount = count;
    }
}
