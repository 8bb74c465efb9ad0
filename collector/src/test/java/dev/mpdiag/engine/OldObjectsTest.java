package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Folding the sightings of one sampled object, as cuts with and without paths to GC roots write them. */
class OldObjectsTest {

    private static OldObjectSample sighting(long ageNanos, List<String> chain, String root) {
        return new OldObjectSample("com.example.Entry", 3, 1_000, 1_700_000_000_000L, ageNanos, 64 << 20, -1, chain, root);
    }

    @Test
    void aCutWithoutPathsKeepsThePathAnEarlierCutFound() {
        OldObjects o = new OldObjects();
        List<String> path = List.of("com.example.Entry", "java.util.HashMap.table", "com.example.Cache.MAP (static)",
                "root: Class Loader");
        o.add(sighting(1_000_000, path, "Class Loader"));
        o.add(sighting(5_000_000, List.of(), null));
        OldObjectSample kept = o.list().get(0);
        assertEquals(1, o.list().size());
        assertEquals(5_000_000, kept.ageNanos(), "the newest sighting stands for the object");
        assertEquals(path, kept.chain());
        assertEquals("Class Loader", kept.rootKind());
    }

    @Test
    void theFoldDoesNotDependOnTheOrderOfSightings() {
        List<OldObjectSample> sightings = List.of(
                sighting(1_000_000, List.of("com.example.Entry", "root: Threads"), "Threads"),
                sighting(2_000_000, List.of("com.example.Entry", "com.example.Cache.MAP (static)", "root: Class Loader"),
                        "Class Loader"),
                sighting(3_000_000, List.of(), null));
        OldObjectSample expected = null;
        for (List<OldObjectSample> order : permutations(sightings)) {
            OldObjects o = new OldObjects();
            order.forEach(o::add);
            OldObjectSample got = o.list().get(0);
            if (expected == null) {
                expected = got;
            }
            assertEquals(expected, got, "order " + order);
        }
        assertEquals(3_000_000, expected.ageNanos());
        OldObjectSample folded = expected;
        assertEquals(1, sightings.stream().filter(s -> s.chain().equals(folded.chain())
                && java.util.Objects.equals(s.rootKind(), folded.rootKind()) && !s.chain().isEmpty()).count(),
                "the path of one of the chained sightings: " + folded.chain());
    }

    private static List<List<OldObjectSample>> permutations(List<OldObjectSample> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<OldObjectSample>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<OldObjectSample> rest = new ArrayList<>(items);
            OldObjectSample first = rest.remove(i);
            for (List<OldObjectSample> p : permutations(rest)) {
                List<OldObjectSample> one = new ArrayList<>();
                one.add(first);
                one.addAll(p);
                out.add(one);
            }
        }
        return out;
    }
}
