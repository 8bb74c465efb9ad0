package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** premain and agentmain fed garbage never throw into the host and say so in single "mpagent: " lines. */
class GarbageArgsIT {

    @TempDir
    Path tmp;

    @Test
    void garbageArgumentsNeverEscapeIntoTheHost() throws Exception {
        try (Receiver rx = Receiver.start();
             ChildJvm child = ChildJvm.start(List.of(ChildJvm.THIS_JAVA.toString(), "-cp",
                     ChildJvm.agentJar() + File.pathSeparator + ChildJvm.testClasses(), GarbageArgsApp.class.getName()),
                     Map.of(AgentMain.ENV_OPTIONS, "collector=" + rx.url() + ",exit.timeout=3s"), tmp)) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(120)), child.describe());
            assertTrue(child.stdout().contains("survived=true"), child.describe());
            String err = child.stderr();
            for (String line : err.lines().toList()) {
                assertTrue(line.startsWith("mpagent: "), "unprefixed stderr line: " + line);
                assertTrue(line.length() < 400, "one short line, not a dump: " + line.length() + " chars");
            }
            for (String named : List.of("interval=banana", "spool.memory=-3", "exit.timeout=forever",
                    "collector=ftp://x", "profile=/no/such.jfc", "already streaming")) {
                assertTrue(err.contains(named), named + " not reported:\n" + err);
            }
            // The first call (no options) started the agent; the garbage after it did not break it.
            assertTrue(rx.await(u -> !u.isEmpty() && u.get(u.size() - 1).isFinal(), Duration.ofSeconds(30)),
                    child.describe());
        }
    }
}
