package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Recordings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recording the tests make, by JFR and by async-profiler in each of its modes, on JDK 17 and 25, read
 * plain, gzipped and zipped: each profile's event count and weight equal the totals the JDK's own
 * jdk.jfr.consumer computes from the same file, and which profile a sample lands in follows the recording.
 */
class RecordingCorpusTest {
    @TempDir
    Path tmp;

    /** A recording, and the profile that must hold samples in it (the one its recorder was asked for). */
    private record Entry(String label, Path file, ProfileType mustHave) {
    }

    private static List<Entry> corpus() throws Exception {
        List<Entry> all = new ArrayList<>();
        all.add(new Entry("jdk17 profile", Recordings.jdk17(), ProfileType.CPU));
        all.add(new Entry("jdk17 multi-chunk", Recordings.jdk17MultiChunk(), ProfileType.CPU));
        Path jdk25 = Recordings.jdk25();
        if (jdk25 != null) {
            all.add(new Entry("jdk25 profile", jdk25, ProfileType.CPU));
        }
        all.add(new Entry("async-profiler cpu+alloc+lock", Recordings.asyncProfiler(), ProfileType.CPU));
        all.add(new Entry("async-profiler wall", Recordings.asyncProfilerWall(), ProfileType.WALL));
        Path pyroscope = Recordings.pyroscopeWall();
        if (pyroscope != null) {
            all.add(new Entry("async-profiler 3.0 wall (pyroscope-java's dialect)", pyroscope, ProfileType.WALL));
        }
        String[][] modes = {{"itimer", "CPU"}, {"alloc", "ALLOC"}, {"lock", "LOCK"}};
        for (String[] m : modes) {
            all.add(new Entry("async-profiler " + m[0], Recordings.asyncProfilerMode(m[0], false), ProfileType.valueOf(m[1])));
        }
        for (String[] m : new String[][] {{"cpu", "CPU"}, {"wall", "WALL"}}) {
            Path p = Recordings.asyncProfilerMode(m[0], true);
            if (p != null) {
                all.add(new Entry("async-profiler " + m[0] + " on jdk25", p, ProfileType.valueOf(m[1])));
            }
        }
        return all;
    }

    @TestFactory
    List<DynamicTest> totalsAgreeWithTheJdkReaderPlainGzippedAndZipped() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : corpus()) {
            tests.add(DynamicTest.dynamicTest(e.label(), () -> check(e)));
        }
        return tests;
    }

    private void check(Entry e) throws Exception {
        Map<ProfileType, long[]> want = jdkTotals(e.file());
        assertTrue(want.get(e.mustHave())[0] > 0, e.label() + ": the recording holds no " + e.mustHave() + " events");
        Path gz = gzip(e.file());
        Path zip = zip(e.file(), gz);
        for (Path f : List.of(e.file(), gz, zip)) {
            RecordingAnalyzer.Result r = new RecordingAnalyzer().analyzeFiles(List.of(f), Progress.NONE);
            for (ProfileType t : List.of(ProfileType.CPU, ProfileType.WALL, ProfileType.ALLOC, ProfileType.LOCK,
                    ProfileType.WAIT)) {
                Profile p = r.merged().profileOrNull(t);
                long count = p == null ? 0 : p.totalCount();
                long weight = p == null ? 0 : p.totalWeight();
                String what = e.label() + " (" + f.getFileName() + ") " + t;
                assertEquals(want.get(t)[0], count, what + " events");
                assertEquals(want.get(t)[1], weight, what + " weight");
            }
        }
    }

    /**
     * Event count and weight per profile, computed with the JDK's reader: samples count one each (wall samples
     * by their batch size), allocations weigh their bytes (JFR's sampler when it has data, else the TLAB events),
     * blocking weighs its duration, and parks on a Condition are waits.
     */
    private static Map<ProfileType, long[]> jdkTotals(Path file) throws IOException {
        Map<ProfileType, long[]> t = new EnumMap<>(ProfileType.class);
        for (ProfileType p : ProfileType.values()) {
            t.put(p, new long[2]);
        }
        long[] executionSamples = new long[1];
        long[] cpuTimeSamples = new long[1];
        long[] sampledAlloc = new long[2];
        long[] tlabAlloc = new long[2];
        boolean wallMode = false;
        for (RecordedEvent ev : RecordingFile.readAllEvents(file)) {
            switch (ev.getEventType().getName()) {
                case "jdk.ExecutionSample" -> executionSamples[0]++;
                case "jdk.CPUTimeSample" -> cpuTimeSamples[0]++;
                case "profiler.WallClockSample" -> add(t.get(ProfileType.WALL), Math.max(1, ev.getLong("samples")));
                case "jdk.ObjectAllocationSample" -> add(sampledAlloc, ev.getLong("weight"));
                case "jdk.ObjectAllocationInNewTLAB" -> add(tlabAlloc, ev.getLong("tlabSize") > 0
                        ? ev.getLong("tlabSize") : ev.getLong("allocationSize"));
                case "jdk.ObjectAllocationOutsideTLAB" -> add(tlabAlloc, ev.getLong("allocationSize"));
                case "jdk.JavaMonitorEnter" -> add(t.get(ProfileType.LOCK), nanos(ev.getDuration()));
                case "jdk.JavaMonitorWait" -> add(t.get(ProfileType.WAIT), nanos(ev.getDuration()));
                case "jdk.ThreadPark" -> {
                    RecordedClass c = ev.getClass("parkedClass");
                    boolean condition = c != null && c.getName().endsWith("$ConditionObject");
                    add(t.get(condition ? ProfileType.WAIT : ProfileType.LOCK), nanos(ev.getDuration()));
                }
                case "jdk.ActiveSetting" -> wallMode |= "event".equals(ev.getString("name"))
                        && "wall".equals(ev.getString("value"));
                default -> {
                }
            }
        }
        if (cpuTimeSamples[0] > 0) {
            t.get(ProfileType.CPU)[0] = cpuTimeSamples[0];
            t.get(ProfileType.CPU)[1] = cpuTimeSamples[0];
        }
        long[] execution = t.get(wallMode ? ProfileType.WALL : ProfileType.CPU);
        if (wallMode || cpuTimeSamples[0] == 0) {
            execution[0] += executionSamples[0];
            execution[1] += executionSamples[0];
        }
        long[] alloc = sampledAlloc[0] > 0 ? sampledAlloc : tlabAlloc;
        t.get(ProfileType.ALLOC)[0] = alloc[0];
        t.get(ProfileType.ALLOC)[1] = alloc[1];
        return t;
    }

    private static void add(long[] countAndWeight, long weight) {
        countAndWeight[0]++;
        countAndWeight[1] += weight;
    }

    private static long nanos(Duration d) {
        return d.toNanos();
    }

    private Path gzip(Path file) throws IOException {
        Path out = tmp.resolve(file.getFileName() + ".gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
            Files.copy(file, o);
        }
        return out;
    }

    // A zip holding the gzipped copy, as recordings collected from a fleet are often passed on.
    private Path zip(Path file, Path gz) throws IOException {
        Path out = tmp.resolve(file.getFileName() + ".zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            z.putNextEntry(new ZipEntry("recordings/"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("recordings/" + gz.getFileName()));
            Files.copy(gz, z);
            z.closeEntry();
        }
        return out;
    }
}
