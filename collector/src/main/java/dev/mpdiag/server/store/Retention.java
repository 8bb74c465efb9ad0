package dev.mpdiag.server.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps the data directory within an age and a total size: uploads older than maxAge go first, then the
 * oldest uploads across all processes until the total fits. A process with nothing left is forgotten.
 */
public final class Retention {
    /** What one pass removed. */
    public record Pass(int uploads, long bytes, int processes) {
    }

    private final Store store;
    private final long maxAgeMillis;
    private final long maxBytes;

    public Retention(Store store, long maxAgeMillis, long maxBytes) {
        this.store = store;
        this.maxAgeMillis = maxAgeMillis;
        this.maxBytes = maxBytes;
    }

    public Pass run(long nowMillis, Consumer<String> warn) {
        long cutoffNanos = (nowMillis - maxAgeMillis) * 1_000_000L;
        Map<ProcessStore, List<StoredEntry>> gone = new HashMap<>();
        List<Object[]> rest = new ArrayList<>();
        long total = 0;
        for (ProcessStore p : store.all()) {
            for (StoredEntry e : p.entries()) {
                if (e.endNanos() < cutoffNanos) {
                    gone.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
                } else {
                    rest.add(new Object[] {p, e});
                    total += e.bytes();
                }
            }
        }
        if (total > maxBytes) {
            rest.sort((a, b) -> Long.compare(((StoredEntry) a[1]).endNanos(), ((StoredEntry) b[1]).endNanos()));
            for (Object[] pe : rest) {
                if (total <= maxBytes) {
                    break;
                }
                StoredEntry e = (StoredEntry) pe[1];
                gone.computeIfAbsent((ProcessStore) pe[0], k -> new ArrayList<>()).add(e);
                total -= e.bytes();
            }
        }
        int uploads = 0;
        long bytes = 0;
        int processes = 0;
        for (Map.Entry<ProcessStore, List<StoredEntry>> g : gone.entrySet()) {
            ProcessStore p = g.getKey();
            try {
                bytes += p.delete(g.getValue());
                uploads += g.getValue().size();
                for (StoredEntry e : g.getValue()) {
                    store.cache.evict(p.id(), e.seq());
                }
                if (p.size() == 0 && p.meta().lastSeenMillis < nowMillis - maxAgeMillis) {
                    store.remove(p);
                    processes++;
                }
            } catch (IOException e) {
                warn.accept("retention: could not delete data of " + p.id() + ": " + e.getMessage());
            }
        }
        return new Pass(uploads, bytes, processes);
    }
}
