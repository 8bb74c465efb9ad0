package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.testing.Recordings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Merging the summaries of two chunk sets equals the summary of their union, on a real multi-chunk recording. */
class MergeTest {
    /** A summary as comparable values: stacks spelled out by frame names, so table ids do not matter. */
    static Map<String, Object> canonical(Summary s) {
        Map<String, Object> out = new TreeMap<>();
        for (ProfileType t : ProfileType.values()) {
            Profile p = s.profileOrNull(t);
            if (p == null) {
                continue;
            }
            Map<String, String> stacks = new TreeMap<>();
            for (int id = 0; id < Math.min(p.capacity(), s.stacks.size()); id++) {
                if (p.count(id) != 0) {
                    stacks.merge(spell(s, s.stacks.frames(id)), p.weight(id) + "/" + p.count(id), (a, b) -> a + "+" + b);
                }
            }
            out.put("profile." + t.id(), stacks);
        }
        for (Series ser : s.allSeries().values()) {
            out.put("series." + ser.name, ser.kind + " " + ser.points());
        }
        for (LockStats l : s.locks()) {
            Map<String, String> sites = new TreeMap<>();
            l.byStack().forEach((stack, v) -> sites.put(spell(s, s.stacks.frames(stack)), v[0] + "/" + v[1]));
            out.put("lock." + l.kind + "." + l.className, l.blockedNanos() + "/" + l.count() + "/" + l.maxNanos() + " " + sites);
        }
        out.put("gc", s.gc.count() + "/" + s.gc.totalPauseNanos() + "/" + s.gc.maxPauseNanos());
        out.put("events", new TreeMap<>(s.eventCounts()));
        out.put("time", s.startNanos() + ".." + s.endNanos() + " chunks " + s.chunks());
        out.put("jvm", s.jvm.processKey() + " " + s.jvm.jvmVersion + " max heap " + s.jvm.maxHeapBytes);
        for (ThreadStats t : s.threads().values()) {
            Map<String, String> sites = new TreeMap<>();
            t.startSites().forEach((stack, v) -> sites.put(stack < 0 ? "(none)" : spell(s, s.stacks.frames(stack)), v[0] + "@" + v[1]));
            int top = t.topStartStack();
            out.put("threads." + t.pattern, t.started() + "/" + t.ended() + " top " + (top < 0 ? "(none)" : spell(s, s.stacks.frames(top)))
                    + " " + sites);
        }
        List<String> oldObjects = new ArrayList<>();
        for (OldObjectSample o : s.oldObjects()) {
            oldObjects.add(o.withStack(0) + " at " + (o.allocationStack() < 0 ? "(none)" : spell(s, s.stacks.frames(o.allocationStack()))));
        }
        out.put("oldObjects", oldObjects);
        return out;
    }

    private static String spell(Summary s, int[] frames) {
        StringBuilder b = new StringBuilder();
        for (int f : frames) {
            b.append(s.frames.name(f)).append(':').append(s.frames.line(f)).append(':').append(s.frames.kind(f)).append(';');
        }
        return b.toString();
    }

    private static Summary summarize(List<ByteBuffer> chunks) throws Exception {
        List<RecordingAnalyzer.Input> inputs = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            inputs.add(RecordingAnalyzer.Input.of("chunk" + i, chunks.get(i)));
        }
        return new RecordingAnalyzer().analyze(inputs, Progress.NONE).merged();
    }

    @Test
    void mergeOfPartsEqualsSummaryOfUnion() throws Exception {
        Path rec = Recordings.jdk17MultiChunk();
        List<ByteBuffer> chunks = ChunkSplitter.split(rec).chunks();
        assertTrue(chunks.size() >= 3, "want several chunks, got " + chunks.size());
        int half = chunks.size() / 2;
        Summary a = summarize(chunks.subList(0, half));
        Summary b = summarize(chunks.subList(half, chunks.size()));
        Summary union = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();

        Summary ab = new Summary();
        ab.merge(a);
        ab.merge(b);
        Summary ba = new Summary();
        ba.merge(b);
        ba.merge(a);
        Map<String, Object> expected = canonical(union);
        // Distinct cpu stacks: enough that the merge must remap frames and stacks between tables. Not more than a
        // handful: the hot thread's one stack takes most samples, and on a machine whose cores are busy with other
        // work the varied thread gets few (6 distinct stacks in a recording made beside a benchmark, against the
        // more than 10 this asked for).
        int stacks = ((Map<?, ?>) expected.get("profile.cpu")).size();
        assertTrue(stacks >= 3, "recording too thin to prove anything: " + stacks + " distinct cpu stacks");
        assertTrue(expected.containsKey("profile.lock") && expected.containsKey("profile.alloc"), expected.keySet().toString());
        assertEquals(expected, canonical(ab));
        assertEquals(expected, canonical(ba));
    }

    @Test
    void threadPatternsAndOldObjectsMergeLikeTheUnion() throws Exception {
        Path rec = Recordings.leakAndThreads();
        List<ByteBuffer> chunks = ChunkSplitter.split(rec).chunks();
        assertTrue(chunks.size() >= 3, "want several chunks, got " + chunks.size());
        Summary union = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
        // JFR writes every live sample again at each cut; the union keeps each object once.
        int perChunk = 0;
        int chunksWithSamples = 0;
        for (ByteBuffer c : chunks) {
            int n = ChunkSummarizer.summarize(c).oldObjects().size();
            perChunk += n;
            chunksWithSamples += n > 0 ? 1 : 0;
        }
        assertTrue(chunksWithSamples >= 2, "old objects in only " + chunksWithSamples + " chunks");
        assertTrue(perChunk > union.oldObjects().size(), "no sample seen twice: " + perChunk + " vs " + union.oldObjects().size());
        Map<String, Object> expected = canonical(union);
        assertTrue(expected.containsKey("threads.leaky-worker-#") && expected.containsKey("threads.pool-#-thread-#"), expected.keySet().toString());
        for (int cut = 1; cut < chunks.size(); cut++) {
            Summary a = summarize(chunks.subList(0, cut));
            Summary b = summarize(chunks.subList(cut, chunks.size()));
            Summary ab = new Summary();
            ab.merge(a);
            ab.merge(b);
            Summary ba = new Summary();
            ba.merge(b);
            ba.merge(a);
            assertEquals(expected, canonical(ab), "split at chunk " + cut);
            assertEquals(expected, canonical(ba), "split at chunk " + cut + ", merged b first");
        }
    }

    @Test
    void oldObjectsKeepTheBestAcrossManyMerges() {
        // More samples than a summary keeps, spread over summaries in two orders: the same 256 must stay.
        List<Summary> parts = new ArrayList<>();
        Random random = new Random(7);
        for (int p = 0; p < 6; p++) {
            Summary s = new Summary();
            // Frames interned in a different order per part, so stack ids differ between summaries.
            for (int f = 0; f < 5; f++) {
                s.frames.intern("Alloc.site" + (f + p) % 5, 1, FrameKind.JIT);
            }
            for (int i = 0; i < 150; i++) {
                long ticks = random.nextInt(400);
                int stack = s.stacks.intern(new int[] {s.frames.intern("Alloc.site" + ticks % 5, 1, FrameKind.JIT)});
                // A re-sighting of one object differs only in age and chain: its class, heap figure and stack are fixed.
                s.addOldObject(new OldObjectSample("C" + ticks % 7, stack, ticks, ticks, random.nextInt(1000),
                        ticks * 1000, -1, List.of("Holder.f" + random.nextInt(3)), "root kind"));
            }
            parts.add(s);
        }
        Summary forward = new Summary();
        parts.forEach(forward::merge);
        Summary backward = new Summary();
        for (int i = parts.size() - 1; i >= 0; i--) {
            backward.merge(parts.get(i));
        }
        assertEquals(OldObjects.MAX, forward.oldObjects().size());
        assertEquals(canonical(forward).get("oldObjects"), canonical(backward).get("oldObjects"));
    }
}
