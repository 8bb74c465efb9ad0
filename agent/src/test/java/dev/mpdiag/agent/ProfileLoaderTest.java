package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles load with jdk.jfr.Configuration and record on this JDK (the build's, JDK 17), including settings
 * for events this JDK does not have. The streaming ITs load them on JDK 25 too.
 */
class ProfileLoaderTest {

    @TempDir
    Path tmp;

    @Test
    void everyBuiltInProfileIsBundledAndRecords() throws Exception {
        for (String name : AgentOptions.BUILT_IN_PROFILES) {
            Map<String, String> settings = ProfileLoader.load(name);
            assertTrue(settings.containsKey("jdk.ExecutionSample#enabled"), name + ": " + settings.keySet());
            List<RecordedEvent> events = record(settings, name);
            assertFalse(events.isEmpty(), name + " recorded nothing");
        }
    }

    @Test
    void settingsForEventsThisJdkLacksAreIgnored() throws Exception {
        System.out.println("recording on JDK " + Runtime.version().feature());
        Path jfc = Path.of(ProfileLoaderTest.class.getResource("unknown-events.jfc").toURI());
        Map<String, String> settings = ProfileLoader.load(jfc.toString());
        assertEquals("true", settings.get("jdk.CPUTimeSample#enabled"));
        assertEquals("true", settings.get("mpagenttest.NoSuchEvent#enabled"));

        List<RecordedEvent> events = record(settings, "unknown-events");
        assertTrue(JfrChunks.count(events, "jdk.CPULoad") > 0, "the known event of the profile is recorded");
        assertEquals(List.of(7L), JfrChunks.markers(events));
        assertEquals(0, JfrChunks.count(events, "mpagenttest.NoSuchEvent"));
        boolean jdkHasCpuTimeSample = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .anyMatch(t -> t.getName().equals("jdk.CPUTimeSample"));
        assertEquals(Runtime.version().feature() >= 25, jdkHasCpuTimeSample);
    }

    @Test
    void aMissingOrBrokenFileIsAnError() throws Exception {
        assertThrows(IOException.class, () -> ProfileLoader.load(tmp.resolve("none.jfc").toString()));
        Path broken = Files.writeString(tmp.resolve("broken.jfc"), "<configuration><event name=");
        assertThrows(Exception.class, () -> ProfileLoader.load(broken.toString()));
    }

    @Test
    void anUnusableProfileFallsBackToTheDefaultWithOneWarning() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.jfc"), "<configuration><event name=");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        ProfileLoader.Profile p;
        try {
            p = ProfileLoader.loadOrFallBack(broken.toString());
        } finally {
            System.setErr(original);
        }
        assertEquals("default", p.name());
        assertEquals(ProfileLoader.load("default"), p.settings());
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("mpagent: profile " + broken + " unusable ("), lines.get(0));
        assertTrue(lines.get(0).endsWith("); using default"), lines.get(0));
    }

    @Test
    void headersNameTheProfileByNameOrFileName() throws URISyntaxException {
        assertEquals("leak", ProfileLoader.displayName("leak"));
        assertEquals("mine.jfc", ProfileLoader.displayName("/etc/mpdiag/mine.jfc"));
    }

    private List<RecordedEvent> record(Map<String, String> settings, String name) throws Exception {
        Path file = tmp.resolve(name + ".jfr");
        try (Recording r = new Recording(settings)) {
            r.start();
            MarkerEvent.commit(7);
            Thread.sleep(300);
            r.stop();
            r.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }
}
