package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.testing.Recordings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Summaries of real recordings survive encode and decode whole, and damaged bytes fail with an IOException. */
class SummaryCodecTest {
    /**
     * Every part of a summary as comparable values, with table ids kept as they are: a decoded summary must
     * not only mean the same but number its frames and stacks the same, since stored ids may be referred to.
     */
    static Map<String, Object> parts(Summary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jvm", List.of(s.jvm.pid, s.jvm.startMillis, String.valueOf(s.jvm.jvmName), String.valueOf(s.jvm.jvmVersion),
                String.valueOf(s.jvm.jvmArguments), String.valueOf(s.jvm.javaArguments), s.jvm.maxHeapBytes));
        out.put("time", s.startNanos() + ".." + s.endNanos() + " chunks " + s.chunks());
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < s.frames.size(); i++) {
            frames.add(s.frames.name(i) + "|" + s.frames.line(i) + "|" + s.frames.kind(i));
        }
        out.put("frames", frames);
        List<String> stacks = new ArrayList<>();
        for (int i = 0; i < s.stacks.size(); i++) {
            stacks.add(Arrays.toString(s.stacks.frames(i)));
        }
        out.put("stacks", stacks);
        for (ProfileType t : ProfileType.values()) {
            Profile p = s.existingProfile(t);
            if (p == null) {
                continue;
            }
            Map<Integer, String> entries = new TreeMap<>();
            for (int id = 0; id < p.capacity(); id++) {
                if (p.weight(id) != 0 || p.count(id) != 0) {
                    entries.put(id, p.weight(id) + "/" + p.count(id));
                }
            }
            out.put("profile." + t.id(), p.totalWeight() + "/" + p.totalCount() + " " + entries);
        }
        for (Series ser : s.allSeries().values()) {
            out.put("series." + ser.name, ser.unit + " " + ser.kind + " " + ser.points());
        }
        List<String> locks = new ArrayList<>();
        for (LockStats l : s.locks()) {
            Map<Integer, String> byStack = new TreeMap<>();
            l.byStack().forEach((id, v) -> byStack.put(id, Arrays.toString(v)));
            locks.add(l.kind + " " + l.className + " " + l.blockedNanos() + "/" + l.count() + "/" + l.maxNanos() + " " + byStack);
        }
        out.put("locks", locks);
        Map<String, String> collectors = new TreeMap<>();
        s.gc.byCollector().forEach((name, v) -> collectors.put(name, Arrays.toString(v)));
        out.put("gc", s.gc.count() + "/" + s.gc.totalPauseNanos() + "/" + s.gc.maxPauseNanos() + " " + collectors);
        List<String> threads = new ArrayList<>();
        for (ThreadStats t : s.threads().values()) {
            Map<Integer, String> sites = new TreeMap<>();
            t.startSites().forEach((id, v) -> sites.put(id, Arrays.toString(v)));
            threads.add(t.pattern + " " + t.started() + "/" + t.ended() + " top " + t.topStartStack() + " " + sites);
        }
        out.put("threads", threads);
        List<String> oldObjects = new ArrayList<>();
        for (OldObjectSample o : s.oldObjects()) {
            oldObjects.add(o.toString());
        }
        out.put("oldObjects", oldObjects);
        out.put("events", new TreeMap<>(s.eventCounts()));
        out.put("warnings", new ArrayList<>(s.warnings()));
        for (ProfileType t : ProfileType.values()) {
            Heat h = s.heatOrNull(t);
            if (h != null) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < h.size(); i++) {
                    b.append(h.cell(i)).append(':').append(h.stack(i)).append('=').append(h.weight(i)).append('/')
                            .append(h.count(i)).append(' ');
                }
                out.put("heat." + t.id(), b.toString());
            }
        }
        StringBuilder pauses = new StringBuilder();
        for (int i = 0; i < s.pauses.size(); i++) {
            pauses.append(s.pauses.kind(i)).append('@').append(s.pauses.startMillis(i)).append('+')
                    .append(s.pauses.durationNanos(i)).append(' ');
        }
        out.put("pauses", pauses + "dropped " + s.pauses.dropped());
        return out;
    }

    /** Part by part, so a failure names the part that differs. */
    static void assertSameSummary(Summary expected, Summary actual, String what) {
        Map<String, Object> want = parts(expected);
        Map<String, Object> got = parts(actual);
        assertEquals(want.keySet(), got.keySet(), what + ": parts");
        for (String part : want.keySet()) {
            assertEquals(want.get(part), got.get(part), what + ": " + part);
        }
    }

    private static Summary roundTrip(Summary s) throws IOException {
        return SummaryCodec.decode(SummaryCodec.encode(s));
    }

    private static List<Path> recordings() throws Exception {
        List<Path> all = new ArrayList<>(List.of(Recordings.jdk17(), Recordings.asyncProfiler(), Recordings.asyncProfilerWall(),
                Recordings.withAgent(), Recordings.jdk17MultiChunk(), Recordings.leakAndThreads()));
        Path jdk25 = Recordings.jdk25();
        if (jdk25 != null) {
            all.add(jdk25);
        }
        return all;
    }

    @Test
    void everyChunkOfRealRecordingsRoundTrips() throws Exception {
        for (Path rec : recordings()) {
            List<ByteBuffer> chunks = ChunkSplitter.split(rec).chunks();
            long summaryBytes = 0;
            for (int c = 0; c < chunks.size(); c++) {
                Summary s = ChunkSummarizer.summarize(chunks.get(c));
                byte[] encoded = SummaryCodec.encode(s);
                summaryBytes += encoded.length;
                assertSameSummary(s, SummaryCodec.decode(encoded), rec.getFileName() + " chunk " + c);
                assertSameSummary(s, SummaryCodec.decode(SummaryCodec.encode(s, false)), rec.getFileName() + " chunk " + c + " stored raw");
            }
            Summary merged = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
            byte[] encoded = SummaryCodec.encode(merged);
            assertSameSummary(merged, SummaryCodec.decode(encoded), rec.getFileName() + " merged");
            System.out.printf("%s: %d chunks, %d bytes of JFR; chunk summaries %d bytes (%.1f%%); merged summary %d bytes"
                            + " (%d frames, %d stacks, %d raw)%n",
                    rec.getFileName(), chunks.size(), Files.size(rec), summaryBytes, 100.0 * summaryBytes / Files.size(rec),
                    encoded.length, merged.frames.size(), merged.stacks.size(), SummaryCodec.encode(merged, false).length);
        }
    }

    @Test
    void recordingsHaveEveryPartTheCodecCarries() throws Exception {
        // Guards the round-trip test: it proves little if the parts it compares are empty.
        Summary s = new Summary();
        // Old objects are judged per recording, as the round trip takes them: merged, the top 256 by heap used
        // are all the leak recording's, whose paths its chained cuts fill in.
        boolean chained = false;
        boolean chainless = false;
        for (Path rec : recordings()) {
            Summary one = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
            chained |= one.oldObjects().stream().anyMatch(o -> o.chain().size() > 2 && o.rootKind() != null);
            chainless |= one.oldObjects().stream().anyMatch(o -> o.chain().isEmpty() && o.allocationStack() >= 0);
            s.merge(one);
        }
        for (ProfileType t : List.of(ProfileType.CPU, ProfileType.WALL, ProfileType.ALLOC, ProfileType.LOCK)) {
            assertTrue(s.profileOrNull(t) != null, "no " + t.id() + " profile");
            assertTrue(s.heatOrNull(t) != null, "no " + t.id() + " heat");
        }
        assertTrue(s.pauses.size() > 0, "no pauses");
        assertTrue(s.locks().iterator().hasNext(), "no locks");
        assertTrue(s.gc.count() > 0 && !s.gc.byCollector().isEmpty(), "no gc");
        assertTrue(s.allSeries().values().stream().anyMatch(ser -> ser.kind == Series.Kind.GAUGE && ser.size() > 1), "no gauge");
        assertTrue(s.allSeries().values().stream().anyMatch(ser -> ser.kind == Series.Kind.SUM && ser.size() > 1), "no sum series");
        assertTrue(s.allSeries().values().stream().anyMatch(ser -> ser.points().values().stream().anyMatch(v -> v != Math.rint(v))),
                "no fractional series value");
        assertTrue(s.jvm.isKnown() && s.jvm.jvmArguments != null && s.jvm.javaArguments != null, "no jvm identity");
        assertTrue(s.jvm.maxHeapBytes > 0, "no max heap");
        assertTrue(s.threads().values().stream().anyMatch(t -> t.ended() > 0 && t.topStartStack() >= 0), "no thread pattern with a start site");
        assertTrue(s.threads().values().stream().anyMatch(t -> t.startSites().containsKey(ThreadStats.NO_STACK)), "no start without a stack");
        assertTrue(chained, "no old object with a chain");
        assertTrue(chainless, "no old object without a chain");
    }

    @Test
    void decodedSummaryMergesLikeTheOriginal() throws Exception {
        Path rec = Recordings.jdk17MultiChunk();
        List<ByteBuffer> chunks = ChunkSplitter.split(rec).chunks();
        assertTrue(chunks.size() >= 3, "want several chunks, got " + chunks.size());
        Summary a = ChunkSummarizer.summarize(chunks.get(0));
        Summary b = ChunkSummarizer.summarize(chunks.get(1));
        Summary second = new RecordingAnalyzer().analyzeFiles(List.of(Recordings.jdk17()), Progress.NONE).merged();

        Summary expected = new Summary();
        expected.merge(a);
        expected.merge(b);
        expected.merge(second);
        Summary fromBytes = roundTrip(a);
        fromBytes.merge(b);
        fromBytes.merge(roundTrip(second));
        assertSameSummary(expected, fromBytes, "decoded a + b + decoded other process");
        // A merged summary stored and loaded again, as the collector does when it folds in a new chunk.
        Summary stored = roundTrip(expected);
        stored.merge(ChunkSummarizer.summarize(chunks.get(2)));
        expected.merge(ChunkSummarizer.summarize(chunks.get(2)));
        assertSameSummary(expected, stored, "stored merge + chunk 3");
        assertEquals(MergeTest.canonical(expected), MergeTest.canonical(stored));
    }

    @Test
    void edgeValuesRoundTripExactly() throws Exception {
        Summary s = new Summary();
        String odd = "lone \uD800 surrogate, NUL \0, \u00e9, \u4e2d, \uD83D\uDE00";
        int a = s.frames.intern(odd, -1, FrameKind.NATIVE);
        int b = s.frames.intern("x".repeat(70_000), Integer.MAX_VALUE, FrameKind.OTHER);
        int c = s.frames.intern(null, 0, FrameKind.KERNEL);
        int deep = s.stacks.intern(new int[] {a, b, c});
        int empty = s.stacks.intern(new int[0]);
        s.profile(ProfileType.ALLOC).add(deep, Long.MAX_VALUE, Long.MIN_VALUE);
        s.profile(ProfileType.CPU).add(empty, -3, 0);
        s.profile(ProfileType.NATIVE);
        Series gauge = s.series("odd values", null, Series.Kind.GAUGE);
        gauge.add(Long.MIN_VALUE, Double.NaN);
        gauge.add(-1, -0.0);
        gauge.add(0, Double.NEGATIVE_INFINITY);
        gauge.add(Long.MAX_VALUE, 0.1);
        s.series("integral", "bytes/s", Series.Kind.SUM).add(5, 9.223372036854776E18);
        s.lock(LockStats.Kind.PARK, null).add(deep, 5, 1, 5);
        s.lock(LockStats.Kind.MONITOR, odd).restoreTotals(1, 2, 3);
        s.gc.add(null, 7, 7);
        s.gc.add("G1 Young", 3, 3);
        s.countEvents("all", -1);
        s.warn(odd);
        s.warn(null);
        s.jvm.pid = Long.MIN_VALUE;
        s.jvm.jvmName = "";
        s.jvm.maxHeapBytes = Long.MAX_VALUE;
        s.thread(odd).addStarts(ThreadStats.NO_STACK, 3, Long.MIN_VALUE);
        s.thread(odd).addStarts(deep, 3, -1);
        s.thread(odd).addStarts(empty, Long.MAX_VALUE, Long.MAX_VALUE);
        s.thread("").addEnds(-4);
        s.addOldObject(new OldObjectSample(null, ThreadStats.NO_STACK, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, Integer.MIN_VALUE,
                List.of(), null));
        s.addOldObject(new OldObjectSample(odd, deep, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, -5, Integer.MAX_VALUE,
                List.of(odd, "", "root: " + odd), odd));
        s.addChunks(-2);
        Summary back = roundTrip(s);
        assertSameSummary(s, back, "hand-made");
        assertTrue(Double.isNaN(back.seriesOrNull("odd values").points().get(Long.MIN_VALUE)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.seriesOrNull("odd values").points().get(-1L)));

        Summary none = new Summary();
        Summary noneBack = roundTrip(none);
        assertSameSummary(none, noneBack, "empty");
        assertEquals(Long.MAX_VALUE, noneBack.startNanos());
        assertEquals(Long.MIN_VALUE, noneBack.endNanos());
    }

    @Test
    void damagedBytesFailWithIOException() throws Exception {
        Summary s = ChunkSummarizer.summarize(ChunkSplitter.split(Recordings.jdk17()).chunks().get(0));
        byte[] good = SummaryCodec.encode(s);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(IOException.class, () -> SummaryCodec.decode(cut), "truncated to " + len);
        }
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x10;
            assertThrows(IOException.class, () -> SummaryCodec.decode(flipped), "byte " + i + " flipped");
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(IOException.class, () -> SummaryCodec.decode(longer), "trailing byte");
        byte[] version = good.clone();
        version[7]++;
        IOException e = assertThrows(IOException.class, () -> SummaryCodec.decode(version));
        assertTrue(e.getMessage().contains("version 4") && e.getMessage().contains("reads versions 2 to 3"), e.getMessage());
        byte[] v1 = good.clone();
        ByteBuffer.wrap(v1).putInt(4, 1);
        e = assertThrows(IOException.class, () -> SummaryCodec.decode(v1));
        assertEquals("summary format version 1; this build reads versions 2 to 3", e.getMessage());
        byte[] jfr = Files.readAllBytes(Recordings.jdk17());
        e = assertThrows(IOException.class, () -> SummaryCodec.decode(jfr));
        assertTrue(e.getMessage().contains("not a summary"), e.getMessage());
    }

    /** Header and checksum made right for a body, so damage inside the body reaches the parser. */
    private static byte[] withBody(byte[] body) {
        byte[] out = new byte[SummaryCodec.HEADER_SIZE + body.length];
        System.arraycopy(body, 0, out, SummaryCodec.HEADER_SIZE, body.length);
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer.wrap(out).putInt(SummaryCodec.MAGIC).putInt(SummaryCodec.VERSION).put((byte) 0)
                .putInt(body.length).putInt(body.length).putInt((int) crc.getValue());
        return out;
    }

    @Test
    void summariesStoredByTheVersion2BuildStillRead() throws Exception {
        // Version 2's body is version 3's without the three trailing zero counts of an empty heat and pause list
        // (heat types, pauses, dropped pauses): rebuild such a body with its own header, as the last build stored it.
        Summary s = ChunkSummarizer.summarize(ChunkSplitter.split(Recordings.jdk17()).chunks().get(0),
                new Scope(java.util.EnumSet.of(ProfileType.CPU), false, false));
        assertTrue(s.pauses.size() == 0 && s.heatOrNull(ProfileType.CPU) == null && s.profileOrNull(ProfileType.CPU) != null,
                "a cpu profile without times or pauses");
        byte[] v3 = SummaryCodec.encode(s, false);
        int body = v3.length - SummaryCodec.HEADER_SIZE - 3;
        assertEquals(List.of((byte) 0, (byte) 0, (byte) 0), List.of(v3[v3.length - 3], v3[v3.length - 2], v3[v3.length - 1]));
        byte[] v2 = Arrays.copyOf(v3, SummaryCodec.HEADER_SIZE + body);
        CRC32 crc = new CRC32();
        crc.update(v2, SummaryCodec.HEADER_SIZE, body);
        ByteBuffer.wrap(v2).putInt(SummaryCodec.MAGIC).putInt(2).put((byte) 0).putInt(body).putInt(body)
                .putInt((int) crc.getValue());
        assertSameSummary(s, SummaryCodec.decode(v2), "version 2");
    }

    @Test
    void damageBehindAValidChecksumFailsWithIOException() throws Exception {
        Summary s = new RecordingAnalyzer().analyzeFiles(List.of(Recordings.asyncProfiler()), Progress.NONE).merged();
        byte[] raw = SummaryCodec.encode(s, false);
        byte[] body = Arrays.copyOfRange(raw, SummaryCodec.HEADER_SIZE, raw.length);
        assertSameSummary(s, SummaryCodec.decode(withBody(body)), "rebuilt header");

        // A table size of 2^31-1 in a small body: refused from the bytes left, not by running out of memory.
        byte[] huge = body.clone();
        byte[] count = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        System.arraycopy(count, 0, huge, 0, count.length);
        IOException e = assertThrows(IOException.class, () -> SummaryCodec.decode(withBody(huge)));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());

        for (int len = 0; len < body.length; len += 1 + len / 64) {
            byte[] cut = withBody(Arrays.copyOf(body, len));
            assertThrows(IOException.class, () -> SummaryCodec.decode(cut), "body truncated to " + len);
        }
        Random random = new Random(42);
        int decodedAnyway = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] damaged = body.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(damaged.length);
                damaged[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (damaged[at] ^ (1 << random.nextInt(8)));
            }
            try {
                SummaryCodec.decode(withBody(damaged));
                decodedAnyway++;
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("corrupt summary"), expected.getMessage());
            } catch (RuntimeException | Error other) {
                fail("round " + round + ": " + other, other);
            }
        }
        // Changed weights and times still parse; what must never happen is an exception of another kind.
        assertFalse(decodedAnyway == 3000, "no damage was detected at all");
    }
}
