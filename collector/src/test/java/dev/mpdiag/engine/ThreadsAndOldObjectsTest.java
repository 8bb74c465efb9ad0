package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Recordings;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thread patterns, old-object samples and the max heap, on a real recording of {@link dev.mpdiag.testing.LeakWorkload}:
 * leaky workers that never end, pools whose threads end, and a static map that grows under -Xmx256m.
 */
class ThreadsAndOldObjectsTest {
    private static final String WORKLOAD = "dev.mpdiag.testing.LeakWorkload";
    private static Path recording;
    private static Summary summary;

    @BeforeAll
    static void record() throws Exception {
        recording = Recordings.leakAndThreads();
        summary = new RecordingAnalyzer().analyzeFiles(List.of(recording), Progress.NONE).merged();
    }

    @Test
    void patternsReplaceEachRunOfDigits() {
        assertEquals("pool-#-thread-#", ThreadStats.pattern("pool-3-thread-17"));
        assertEquals("leaky-worker-#", ThreadStats.pattern("leaky-worker-42"));
        assertEquals("#x#", ThreadStats.pattern("007x1"));
        assertEquals("main", ThreadStats.pattern("main"));
    }

    @Test
    void leakyWorkersPileUpAndNameTheirStarter() {
        ThreadStats leaky = summary.threads().get("leaky-worker-#");
        assertNotNull(leaky, "no leaky-worker-# pattern in " + summary.threads().keySet());
        // A few at least: the workload starts one every so often, fewer on a busy machine.
        assertTrue(leaky.started() >= 3, "started " + leaky.started());
        assertEquals(0, leaky.ended(), "leaky workers never end");
        assertEquals(leaky.started(), leaky.growth());
        int site = leaky.topStartStack();
        assertTrue(site >= 0, "no start site");
        // The stack is the parent's at Thread.start, which JFR leaves out: the caller is the leaf.
        int leaf = summary.stacks.frames(site)[0];
        assertEquals(WORKLOAD + "$LeakyWorkers.startLeakyWorker", summary.frames.name(leaf));

        ThreadStats pool = summary.threads().get("pool-#-thread-#");
        assertNotNull(pool, "no pool-#-thread-# pattern in " + summary.threads().keySet());
        assertTrue(pool.started() >= 2, "pool threads started " + pool.started());
        assertEquals(pool.started(), pool.ended(), "pool threads all end");
        // On JDK 17 addWorker is the leaf; on JDK 21 and later it starts threads through System$1.start.
        assertTrue(pool.topStartStack() >= 0, "no pool start site");
        assertTrue(frameNames(pool.topStartStack()).contains("java.util.concurrent.ThreadPoolExecutor.addWorker"),
                frameNames(pool.topStartStack()).toString());
    }

    @Test
    void startsAndEndsPerPatternMatchTheJdkConsumer() throws Exception {
        Map<String, long[]> jdk = new TreeMap<>();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ThreadStart") || type.equals("jdk.ThreadEnd")) {
                    RecordedThread t = e.getThread("thread");
                    String name = t == null ? null : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
                    long[] c = jdk.computeIfAbsent(name == null ? "(unknown)" : ThreadStats.pattern(name), k -> new long[2]);
                    c[type.equals("jdk.ThreadStart") ? 0 : 1]++;
                }
            }
        }
        Map<String, long[]> ours = new TreeMap<>();
        summary.threads().forEach((pattern, t) -> ours.put(pattern, new long[] {t.started(), t.ended()}));
        assertEquals(spell(jdk), spell(ours));
    }

    @Test
    void oldObjectsNameTheGrowingMapThroughItsStaticField() {
        List<OldObjectSample> all = summary.oldObjects();
        assertTrue(!all.isEmpty() && all.size() <= OldObjects.MAX, "old objects: " + all.size());
        String staticField = WORKLOAD + "$LeakCache.ENTRIES (static)";
        String valueClass = WORKLOAD + "$LeakedEntry";
        // Held by the map: its values and their payloads, and its keys, nodes and table too. Judged among the
        // samples with a path: a sample JFR's sampler dropped (for a newer one) before the next cut with paths
        // keeps only its cutoff-0 sighting, and how many it drops grows with how fast the machine allocates.
        List<OldObjectSample> withPath = all.stream().filter(o -> !o.chain().isEmpty()).toList();
        List<OldObjectSample> held = withPath.stream().filter(o -> o.chain().contains(staticField)).toList();
        Map<String, Integer> others = new TreeMap<>();
        for (OldObjectSample o : withPath) {
            if (!held.contains(o)) {
                others.merge(o.className() + " via " + o.chain().get(0), 1, Integer::sum);
            }
        }
        assertTrue(held.size() >= 32 && held.size() * 2 > withPath.size(), held.size() + " of " + withPath.size()
                + " samples with a path (" + all.size() + " in all) held by the map; the others: " + others);
        List<OldObjectSample> leaked = held.stream()
                .filter(o -> o.className().equals(valueClass) || o.chain().stream().anyMatch(s -> s.startsWith(valueClass + ".")))
                .toList();
        assertTrue(!leaked.isEmpty(), "no sample of " + valueClass + " among " + held.size() + " held by the map");
        OldObjectSample o = leaked.get(0);
        assertTrue(o.heldByStatic());
        assertTrue(o.chain().get(o.chain().size() - 1).startsWith("root: "), o.chain().toString());
        assertNotNull(o.rootKind());
        assertTrue(o.chain().indexOf("java.util.HashMap.table") < o.chain().indexOf(staticField), o.chain().toString());
        assertTrue(o.allocationStack() >= 0, "no allocation stack");
        assertTrue(frameNames(o.allocationStack()).contains(WORKLOAD + "$LeakCache.add"), frameNames(o.allocationStack()).toString());
        assertTrue(o.ageNanos() > 0 && o.heapUsedBytes() > 0, o.toString());
        assertTrue(o.allocationMillis() >= summary.startNanos() / 1_000_000 - 60_000
                && o.allocationMillis() <= summary.endNanos() / 1_000_000, o.allocationMillis() + " outside the recording");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(OldObjects.ORDER.compare(all.get(i - 1), all.get(i)) < 0, "not in order at " + i);
        }
    }

    @Test
    void chainsMatchTheJdkConsumer() throws Exception {
        // Our chains as the JDK's consumer API spells them, for every sample of the recording.
        List<String> jdk = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals("jdk.OldObjectSample")) {
                    jdk.add(FrameNames.readable(e.<RecordedObject>getValue("object").<RecordedClass>getValue("type").getName())
                            + " " + chainOf(e));
                }
            }
        }
        assertTrue(jdk.size() > summary.oldObjects().size(), "JFR wrote each live sample at every cut, so events outnumber objects");
        for (OldObjectSample o : summary.oldObjects()) {
            String ours = o.className() + " " + o.chain();
            assertTrue(jdk.contains(ours), "no JDK event reads " + ours);
        }
    }

    private static List<String> chainOf(RecordedEvent e) {
        List<String> steps = new ArrayList<>();
        RecordedObject object = e.getValue("object");
        while (object != null) {
            RecordedObject ref = object.getValue("referrer");
            if (ref == null) {
                break;
            }
            RecordedObject holder = ref.getValue("object");
            if (ref.getInt("skip") > 0) {
                steps.add("(" + ref.getInt("skip") + " more)");
            }
            String cls = FrameNames.readable(holder.<RecordedClass>getValue("type").getName());
            RecordedObject field = ref.getValue("field");
            RecordedObject array = ref.getValue("array");
            if (field != null) {
                boolean isStatic = Modifier.isStatic(field.getShort("modifiers"));
                String description = holder.getString("description");
                if (isStatic && cls.equals("java.lang.Class") && description != null && description.startsWith("Class Name: ")) {
                    cls = description.substring("Class Name: ".length());
                }
                steps.add(cls + "." + field.getString("name") + (isStatic ? " (static)" : ""));
            } else if (array != null) {
                steps.add(cls + "[" + array.getInt("index") + "]");
            } else {
                steps.add(cls);
            }
            object = holder;
        }
        RecordedObject root = e.getValue("root");
        if (root != null) {
            String kind = root.getString("system") + (root.getString("type") == null ? "" : ": " + root.getString("type"));
            steps.add("root: " + kind + (root.getString("description") == null ? "" : " (" + root.getString("description") + ")"));
        }
        return steps;
    }

    @Test
    void maxHeapIsTheConfiguredLimit() {
        assertEquals(256L << 20, summary.jvm.maxHeapBytes);
    }

    private static List<String> frameNames(int stackId) {
        List<String> out = new ArrayList<>();
        for (int f : summary.stacks.frames(stackId)) {
            out.add(summary.frames.name(f));
        }
        return out;
    }

    private static Map<String, String> spell(Map<String, long[]> counts) {
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v[0] + " started, " + v[1] + " ended"));
        return out;
    }
}
