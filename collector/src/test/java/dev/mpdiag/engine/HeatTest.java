package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Recordings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The times kept for the heatmap agree with the profiles they come from and with the JDK's own reader. */
class HeatTest {
    @Test
    void everyTimedProfileAddsUpToItsTotals() throws Exception {
        int checked = 0;
        for (Path rec : List.of(Recordings.jdk17(), Recordings.asyncProfiler(), Recordings.asyncProfilerWall(),
                Recordings.jdk17MultiChunk())) {
            Summary s = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
            for (ProfileType t : List.of(ProfileType.CPU, ProfileType.WALL, ProfileType.ALLOC, ProfileType.LOCK)) {
                Profile p = s.profileOrNull(t);
                if (p == null) {
                    continue;
                }
                Heat h = s.heatOrNull(t);
                assertNotNull(h, rec.getFileName() + " " + t.id() + " has a profile but no heat");
                long w = 0;
                long c = 0;
                for (int i = 0; i < h.size(); i++) {
                    w += h.weight(i);
                    c += h.count(i);
                }
                String what = rec.getFileName() + " " + t.id();
                assertEquals(p.totalWeight(), w, what + " weight");
                assertEquals(p.totalCount(), c, what + " count");
                assertEquals(p.totalWeight(), h.window(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4).totalWeight(), what);
                HeatMatrix.Bounds b = new HeatMatrix.Bounds(Long.MIN_VALUE / 4, Long.MAX_VALUE / 2);
                b.include(h);
                HeatMatrix m = b.matrix(20);
                m.add(h);
                assertEquals(p.totalWeight(), m.total(), what + " matrix");
                checked++;
            }
        }
        assertTrue(checked >= 6, "timed profiles checked: " + checked);
    }

    @Test
    void aWindowHoldsTheSamplesTheJdkPutsInIt() throws Exception {
        Path rec = Recordings.jdk17MultiChunk();
        List<Long> times = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(rec)) {
            if (e.getEventType().getName().equals("jdk.ExecutionSample")) {
                times.add(e.getStartTime().toEpochMilli());
            }
        }
        long min = times.stream().min(Long::compare).orElseThrow();
        long max = times.stream().max(Long::compare).orElseThrow();
        assertTrue(max - min > 3000, "recording spans " + (max - min) + " ms");
        Summary s = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
        Heat h = s.heatOrNull(ProfileType.CPU);
        // Spans that start and end on and off the 20 ms grid, short and long: a sample belongs to a span when
        // the 20 ms cell it fell in starts inside it.
        long[][] spans = {{min + (max - min) / 3, 1234}, {min + (max - min) / 2 + 7, 20}, {min - 5000, 2500},
            {min + 1000, 470}};
        for (long[] span : spans) {
            long from = span[0];
            long to = from + span[1];
            long firstCell = Math.floorDiv(from + 19, 20);
            long endCell = Math.floorDiv(to + 19, 20);
            long expected = times.stream().filter(t -> Math.floorDiv(t, 20) >= firstCell && Math.floorDiv(t, 20) < endCell).count();
            assertEquals(expected, h.window(from, to).totalCount(), "samples in [" + from + ", " + to + ")");
        }
        assertTrue(h.window(min + (max - min) / 3, min + (max - min) / 3 + 1234).totalCount() > 0, "the long span is not empty");
    }
}
