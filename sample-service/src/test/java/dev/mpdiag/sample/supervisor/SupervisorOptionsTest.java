package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupervisorOptionsTest {
    @Test
    void defaultsFollowThePort() throws Exception {
        SupervisorOptions o = SupervisorOptions.parse(new String[] {"--port", "8080"});
        assertEquals(8080, o.port);
        assertEquals(8081, o.adminPort);
        assertEquals(Runtime.getRuntime().availableProcessors(), o.workers);
        assertEquals("127.0.0.1", o.host);
        assertFalse(o.pin);
        assertNull(o.agentJar);
        assertEquals(List.of(), o.faults);
        assertEquals(Duration.ofSeconds(10), o.stopTimeout);
    }

    @Test
    void readsEveryOption() throws Exception {
        Path agent = Files.createTempFile("agent", ".jar");
        try {
            SupervisorOptions o = SupervisorOptions.parse(new String[] {"--workers", "3", "--port=9000",
                    "--admin-port", "9100", "--pin", "--agent", agent.toString(), "--agent-options", "service=x",
                    "--faults", "fd-leak, contention,fd-leak", "--jvm-opts", " -Xmx64m  -Xss512k ",
                    "--stop-timeout", "500ms", "--host", "0.0.0.0"});
            assertEquals(3, o.workers);
            assertEquals(9000, o.port);
            assertEquals(9100, o.adminPort);
            assertTrue(o.pin);
            assertEquals(agent.toAbsolutePath().normalize(), o.agentJar);
            assertEquals("service=x", o.agentOptions);
            assertEquals(List.of("fd-leak", "contention"), o.faults);
            assertEquals(List.of("-Xmx64m", "-Xss512k"), o.jvmOpts);
            assertEquals(Duration.ofMillis(500), o.stopTimeout);
            assertEquals("0.0.0.0", o.host);
        } finally {
            Files.delete(agent);
        }
    }

    @Test
    void rejectsBadInputWithAMessageNamingTheOption() {
        assertMessage("--port is required", "--workers", "2");
        assertMessage("--workers needs a whole number from 1 to 1024, got 'zero'", "--port", "1", "--workers", "zero");
        assertMessage("--workers needs a whole number from 1 to 1024, got '0'", "--port", "1", "--workers", "0");
        assertMessage("--port needs a whole number from 1 to 65535, got '70000'", "--port", "70000");
        assertMessage("unknown option --bogus", "--port", "1", "--bogus");
        assertMessage("option --port needs a value", "--port");
        assertMessage("--admin-port must differ from --port (5)", "--port", "5", "--admin-port", "5");
        assertMessage("--stop-timeout needs a duration such as 10s or 500ms, got 'soon'", "--port", "5", "--stop-timeout", "soon");
        assertThrows(SupervisorOptions.BadOption.class,
                () -> SupervisorOptions.parse(new String[] {"--port", "5", "--faults", "fd-leak,nope"}));
        assertThrows(SupervisorOptions.BadOption.class,
                () -> SupervisorOptions.parse(new String[] {"--port", "5", "--agent", "/no/such/agent.jar"}));
    }

    @Test
    void helpNeedsNoPort() throws Exception {
        assertTrue(SupervisorOptions.parse(new String[] {"--help"}).help);
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofSeconds(10), SupervisorOptions.duration("t", "10s"));
        assertEquals(Duration.ofSeconds(7), SupervisorOptions.duration("t", "7"));
        assertEquals(Duration.ofMinutes(2), SupervisorOptions.duration("t", "2m"));
        assertEquals(Duration.ofMillis(250), SupervisorOptions.duration("t", "250ms"));
    }

    private static void assertMessage(String expected, String... args) {
        SupervisorOptions.BadOption e = assertThrows(SupervisorOptions.BadOption.class, () -> SupervisorOptions.parse(args));
        assertEquals(expected, e.getMessage());
    }
}
