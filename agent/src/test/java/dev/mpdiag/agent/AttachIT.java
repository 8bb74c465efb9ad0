package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar mpagent.jar attach PID options} starts streaming in a JVM that runs without the agent. */
class AttachIT {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void attachedAgentStreamsUntilExit() throws Exception {
        for (Path java : ChildJvm.javas()) {
            attachOn(java);
        }
    }

    private void attachOn(Path java) throws Exception {
        Path stop = tmp.resolve("stop-" + java.hashCode());
        try (Receiver rx = Receiver.start();
             ChildJvm app = ChildJvm.start(java, List.of(), StreamingApp.class, List.of("until=" + stop), Map.of(), tmp)) {
            app.awaitStdout("ready=true", TIMEOUT);
            String pid = app.value("pid");
            try (ChildJvm attach = ChildJvm.start(List.of(java.toString(), "-jar", ChildJvm.agentJar(), "attach", pid,
                    "collector=" + rx.url(), "interval=1s,service=attached", "label.how=attach"), Map.of(), tmp)) {
                assertEquals(0, attach.awaitExit(TIMEOUT), attach.describe());
                assertTrue(attach.stdout().contains("mpagent: attached to " + pid), attach.describe());
                assertTrue(attach.stderr().isEmpty(), attach.describe());
            }
            assertTrue(rx.await(u -> u.size() >= 2, TIMEOUT), "uploads after attach: " + app.describe());
            Files.createFile(stop);
            assertEquals(0, app.awaitExit(TIMEOUT), app.describe());

            List<Receiver.Upload> uploads = rx.uploads();
            String jdk = "JDK " + app.value("feature") + ": ";
            for (int i = 0; i < uploads.size(); i++) {
                Receiver.Upload u = uploads.get(i);
                assertEquals(i + 1, u.seq(), jdk);
                assertEquals("attached", u.header("X-Mpdiag-Service"), jdk);
                assertEquals("how=attach", u.header("X-Mpdiag-Labels"), jdk);
                assertEquals(pid, u.header("X-Mpdiag-Pid"), jdk);
            }
            assertTrue(uploads.get(uploads.size() - 1).isFinal(), jdk + "final upload at exit");
            List<Long> markers = JfrChunks.markers(JfrChunks.events(JfrChunks.split(uploads), tmp));
            assertTrue(markers.contains(MarkerEvent.LAST), jdk + markers);
            assertTrue(markers.size() >= 10, jdk + "markers after the attach: " + markers);
            for (String line : app.stderr().lines().toList()) {
                // JDK 21+ warns that an agent was loaded dynamically; the agent itself says nothing.
                assertTrue(!line.startsWith("mpagent:"), jdk + app.describe());
            }
        }
    }
}
