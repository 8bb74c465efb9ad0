package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The top 20 cpu leaf frames and their sample counts equal what the JDK's own jdk.jfr.consumer API computes. */
class JdkConsumerAgreementTest {
    @Test
    void topLeafFramesMatchJdkConsumer() throws Exception {
        Path rec = Recordings.jdk17MultiChunk();
        Map<String, Long> jdk = new HashMap<>();
        long total = 0;
        try (RecordingFile f = new RecordingFile(rec)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                total++;
                if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame leaf = e.getStackTrace().getFrames().get(0);
                // mpdiag drops the per-process address of hidden classes (lambdas); name the leaf the same way.
                String name = FrameNames.readable(leaf.getMethod().getType().getName()) + "." + leaf.getMethod().getName();
                jdk.merge(name, 1L, Long::sum);
            }
        }
        Summary s = new RecordingAnalyzer().analyzeFiles(List.of(rec), Progress.NONE).merged();
        assertEquals(total, s.profile(ProfileType.CPU).totalCount(), "sample count");
        List<TopFrames.Row> ours = TopFrames.methods(s, ProfileType.CPU, Integer.MAX_VALUE);
        List<Map.Entry<String, Long>> theirs = new ArrayList<>(jdk.entrySet());
        theirs.sort((a, b) -> b.getValue() != a.getValue().longValue() ? Long.compare(b.getValue(), a.getValue())
                : a.getKey().compareTo(b.getKey()));
        assertTrue(theirs.size() >= 5, "too few distinct leaves: " + theirs);
        int n = Math.min(20, theirs.size());
        for (int i = 0; i < n; i++) {
            String want = theirs.get(i).getKey();
            long wantCount = theirs.get(i).getValue();
            TopFrames.Row row = ours.stream().filter(r -> r.name().equals(want)).findFirst().orElse(null);
            assertTrue(row != null, "mpdiag lacks leaf " + want);
            assertEquals(wantCount, row.self(), "self samples of " + want);
        }
        // Same ranking: the i-th largest self count agrees (names may swap places only within ties).
        for (int i = 0; i < n; i++) {
            assertEquals(theirs.get(i).getValue().longValue(), ours.get(i).self(), "rank " + i);
        }
        assertEquals(theirs.get(0).getKey(), ours.get(0).name());
    }
}
