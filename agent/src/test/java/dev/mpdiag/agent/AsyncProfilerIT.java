package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * profiler=async in child JVMs (JDK 17, and JDK 25 when installed) streaming to a real receiver: the CPU samples
 * come from async-profiler (JFR's sampler is off), GC and the mpdiag events still from JFR; and where
 * async-profiler cannot load, one warning line and JFR samples instead.
 */
class AsyncProfilerIT {

    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void asyncProfilerSamplesAndJfrKeepsThePeriodicEvents() throws Exception {
        for (Path java : ChildJvm.javas()) {
            try (Receiver rx = Receiver.start()) {
                ChildJvm child = ChildJvm.start(java, List.of("-javaagent:" + ChildJvm.agentJar() + "=collector="
                        + rx.url() + ",service=aptest,interval=1s,profiler=async"), SpinApp.class, List.of("run=4000"),
                        Map.of(), tmp);
                assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child.describe());
                String jdk = "JDK " + child.value("feature") + ": ";
                if (child.stderr().contains("restricted method")) {
                    System.out.println(jdk + "the JVM warns about async-profiler's System.load (JDK 24+):"
                            + " --enable-native-access=ALL-UNNAMED silences it");
                }
                assertFalse(child.stderr().contains("mpagent:"), jdk + "no warning: " + child.describe());
                List<Receiver.Upload> uploads = rx.uploads();
                assertTrue(uploads.size() >= 2, jdk + uploads.size() + " uploads");
                for (Receiver.Upload u : uploads) {
                    assertEquals("default+async-cpu", u.header("X-Mpdiag-Profile"), jdk);
                }
                List<RecordedEvent> events = JfrChunks.events(JfrChunks.split(uploads), Files.createTempDirectory(tmp, "ev"));
                long spins = events.stream().filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                        .filter(AsyncProfilerIT::inSpinLoop).count();
                System.out.println(jdk + spins + " CPU samples in spinLoop, " + JfrChunks.count(events, "jdk.GarbageCollection")
                        + " GCs, " + JfrChunks.count(events, "mpdiag.ProcessResources") + " ProcessResources");
                // 4 s of one spinning thread at 10 ms: about 400; JFR's own sampler is off, so these are async-profiler's.
                assertTrue(spins >= 50, jdk + spins + " samples in spinLoop");
                assertTrue(JfrChunks.count(events, "mpdiag.ProcessResources") >= 2, jdk + "ProcessResources from JFR");
                assertTrue(JfrChunks.count(events, "jdk.CPULoad") >= 2, jdk + "periodic JDK events from JFR");
            }
        }
    }

    @Test
    void whereAsyncProfilerCannotLoadJfrSamplesAfterOneWarning() throws Exception {
        // No writable temporary directory for the nested jar and the native library: a real reason to fail.
        Path repository = Files.createDirectories(tmp.resolve("repo"));
        try (Receiver rx = Receiver.start()) {
            ChildJvm child = spinWithoutTmp(rx, repository, "async", 3000);
            List<String> warnings = new ArrayList<>();
            for (String line : child.stderr().split("\n")) {
                if (line.startsWith("mpagent:")) {
                    warnings.add(line);
                }
            }
            assertEquals(1, warnings.size(), child.describe());
            assertTrue(warnings.get(0).contains("async-profiler unavailable") && warnings.get(0).contains("sampling with JFR"),
                    warnings.get(0));
            List<Receiver.Upload> uploads = rx.uploads();
            assertFalse(uploads.isEmpty(), child.describe());
            assertEquals("default", uploads.get(0).header("X-Mpdiag-Profile"));
            List<RecordedEvent> events = JfrChunks.events(JfrChunks.split(uploads), Files.createDirectories(tmp.resolve("ev")));
            assertTrue(events.stream().anyMatch(AsyncProfilerIT::inSpinLoop), "JFR's samples of spinLoop");
        }
        // profiler=auto takes the same way back to JFR without a word.
        try (Receiver rx = Receiver.start()) {
            ChildJvm child = spinWithoutTmp(rx, repository, "auto", 2000);
            assertFalse(child.stderr().contains("mpagent:"), child.describe());
            assertFalse(rx.uploads().isEmpty(), child.describe());
            assertEquals("default", rx.uploads().get(0).header("X-Mpdiag-Profile"));
        }
    }

    /** SpinApp with the agent's profiler option, no writable java.io.tmpdir, JFR's repository elsewhere; exited. */
    private ChildJvm spinWithoutTmp(Receiver rx, Path repository, String profiler, long runMillis) throws Exception {
        ChildJvm child = ChildJvm.start(ChildJvm.THIS_JAVA, List.of("-Djava.io.tmpdir=" + tmp.resolve("absent"),
                "-XX:FlightRecorderOptions:repository=" + repository, "-javaagent:" + ChildJvm.agentJar() + "=collector="
                        + rx.url() + ",service=aptest,interval=1s,profiler=" + profiler),
                SpinApp.class, List.of("run=" + runMillis), Map.of(), tmp);
        assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child.describe());
        return child;
    }

    static boolean inSpinLoop(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            if (f.getMethod() != null && f.getMethod().getName().equals("spinLoop")) {
                return true;
            }
        }
        return false;
    }
}
