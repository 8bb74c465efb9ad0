package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The agent's command line says what the agent does and lists every option. (premain and agentmain with
 * garbage run in a child JVM, GarbageArgsIT: here they would start streaming from the test JVM.)
 */
class AgentMainTest {

    @Test
    void helpPrintsUsageAndReturnsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AgentMain.run(new String[] {"--help"}, print(out), print(err));
        assertEquals(0, status);
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("mpdiag.ProcessResources"), usage);
        assertTrue(usage.contains("-XX:StartFlightRecording"), usage);
        assertTrue(usage.contains("attach PID"), usage);
        assertTrue(usage.contains("MPAGENT_OPTS"), usage);
        assertTrue(usage.contains("dev.mpdiag.agent:type=Agent"), usage);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentMain.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()));
        String usage = out.toString(StandardCharsets.UTF_8);
        String[] keys = {"collector", "service", "profile", "interval", "label.K=V", "spool.memory", "spool.dir",
            "spool.disk", "exit.timeout", "http.timeout", "token", "token.file", "tls.ca", "maxage", "maxsize", "profiler", "async.event",
            "async.interval",
            "async.alloc", "async.lock", "debug"};
        assertEquals(keys.length, AgentOptions.OPTIONS.size(), "a new option needs a line in --help");
        for (String key : keys) {
            assertTrue(usage.contains("  " + key + " "), key + " missing from --help:\n" + usage);
        }
        for (AgentOptions.Option o : AgentOptions.OPTIONS) {
            assertTrue(usage.contains("(default: " + o.defaultText() + ")"), o.key() + "'s default:\n" + usage);
        }
        for (String def : new String[] {"http://127.0.0.1:7070", "16m", "256m", "2s", "10s", "5s", "64m"}) {
            assertTrue(usage.contains("(default: " + def + ")"), def + ":\n" + usage);
        }
        for (String profile : AgentOptions.BUILT_IN_PROFILES) {
            assertTrue(usage.contains(profile), profile);
        }
    }

    @Test
    void anythingElsePrintsUsageToStderrAndReturnsTwo() {
        for (String[] args : new String[][] {{}, {"--version"}, {"--help", "extra"}, {"-h"}, {"attach"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, AgentMain.run(args, print(out), print(err)), String.join(" ", args));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Usage:"));
        }
    }

    @Test
    void attachRefusesSomethingThatIsNotAPid() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, AgentMain.run(new String[] {"attach", "abc"}, print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("mpagent: attach: \"abc\" is not a process id"),
                err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
