package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent's entry points survive bad input, and its command line says what the agent does. */
class AgentMainTest {

    @Test
    void premainAndAgentmainWithGarbageArgsDoNotThrow() {
        String[] garbage = {null, "", "   ", "=,,;;=", "interval=banana", "label.=\u0000\n\u00e9", "x".repeat(100_000)};
        String err = captureStderr(() -> {
            for (String args : garbage) {
                assertDoesNotThrow(() -> AgentMain.premain(args, null));
                assertDoesNotThrow(() -> AgentMain.agentmain(args, null));
            }
        });
        for (String line : err.split("\\R")) {
            if (!line.isEmpty()) {
                assertTrue(line.startsWith("mpagent: "), "unprefixed stderr line: " + line);
            }
        }
        assertTrue(err.contains("interval=banana"), "the warning names the ignored option: " + err);
    }

    @Test
    void helpPrintsUsageAndReturnsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AgentMain.run(new String[] {"--help"}, print(out), print(err));
        assertEquals(0, status);
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("mpdiag.ProcessResources"), usage);
        assertTrue(usage.contains("-XX:StartFlightRecording"), usage);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anythingElsePrintsUsageToStderrAndReturnsTwo() {
        for (String[] args : new String[][] {{}, {"--version"}, {"--help", "extra"}, {"-h"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, AgentMain.run(args, print(out), print(err)), String.join(" ", args));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Usage:"));
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(print(bytes));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
