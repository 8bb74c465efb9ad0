package dev.mpdiag.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The old-object samples a summary keeps: one per sampled object (JFR writes a live sample again at every
 * cut, so the newest sighting, the oldest age, stands for it), at most {@link #MAX} of them, the ones
 * allocated when the heap was fullest first. Keeping the top of one total order after folding duplicates
 * is what makes merging summaries give the same samples as summarizing the union.
 */
final class OldObjects {
    /** JFR's own sampler keeps 256 objects (-XX:FlightRecorderOptions:old-objects=256), so a chunk rarely has more. */
    static final int MAX = 256;

    /** Best first: larger heap at allocation, then older (the newer sighting of one object), then the rest for a total order. */
    static final Comparator<OldObjectSample> ORDER = Comparator
            .comparingLong(OldObjectSample::heapUsedBytes).reversed()
            .thenComparing(Comparator.comparingLong(OldObjectSample::ageNanos).reversed())
            .thenComparingLong(OldObjectSample::allocationTicks)
            .thenComparing(OldObjectSample::className, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(OldObjectSample::arrayLength)
            .thenComparing(OldObjectSample::rootKind, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(OldObjectSample::chain, OldObjects::compareChains);

    /** Of two paths to the GC roots for one object, the one kept: any fixed total order does. */
    private static final Comparator<OldObjectSample> PATH_ORDER = Comparator
            .comparing(OldObjectSample::chain, OldObjects::compareChains)
            .thenComparing(OldObjectSample::rootKind, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** What stays the same when JFR writes one sampled object again. */
    private record Key(long allocationTicks, String className, long heapUsedBytes, int arrayLength) {
        static Key of(OldObjectSample s) {
            return new Key(s.allocationTicks(), s.className(), s.heapUsedBytes(), s.arrayLength());
        }
    }

    private final Map<Key, OldObjectSample> byKey = new HashMap<>();
    private List<OldObjectSample> sorted = List.of();

    // Synchronized because list() sorts and prunes lazily: a summary that readers share stays safe to read.
    synchronized void add(OldObjectSample s) {
        byKey.merge(Key.of(s), s, OldObjects::fold);
        sorted = null;
        if (byKey.size() > 2 * MAX) {
            list();
        }
    }

    /** Best first, at most MAX. */
    synchronized List<OldObjectSample> list() {
        if (sorted == null) {
            List<OldObjectSample> all = new ArrayList<>(byKey.values());
            all.sort(ORDER);
            if (all.size() > MAX) {
                for (OldObjectSample dropped : all.subList(MAX, all.size())) {
                    byKey.remove(Key.of(dropped));
                }
                all = new ArrayList<>(all.subList(0, MAX));
            }
            sorted = List.copyOf(all);
        }
        return sorted;
    }

    /**
     * Two sightings of one object: the newest (oldest age) stands for it, with a path to its GC root wherever a
     * sighting had one. A cut made with cutoff 0 writes no path, and must not erase the path an earlier cut found.
     * Where both have a path the larger in a fixed order is kept: each part is then the best of its own order, so
     * the fold is order-free and merged summaries still agree with the summary of the union.
     */
    static OldObjectSample fold(OldObjectSample a, OldObjectSample b) {
        OldObjectSample newest = ORDER.compare(a, b) <= 0 ? a : b;
        OldObjectSample path = a.chain().isEmpty() ? b : b.chain().isEmpty() ? a : PATH_ORDER.compare(a, b) >= 0 ? a : b;
        if (path.chain().isEmpty() || path.chain().equals(newest.chain()) && Objects.equals(path.rootKind(), newest.rootKind())) {
            return newest;
        }
        return newest.withChain(path.chain(), path.rootKind());
    }

    private static int compareChains(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Objects.compare(a.get(i), b.get(i), Comparator.nullsFirst(Comparator.naturalOrder()));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
