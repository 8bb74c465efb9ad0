package dev.mpdiag.sample.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
    @Test
    void parsesTheSupervisorsCommandLine() {
        WorkerOptions o = WorkerOptions.parse(new String[] {"--index", "3", "--port", "8080", "--control", "/tmp/run",
                "--faults", "fd-leak, contention,fd-leak", "--workers", "4"}, true, Map.of());
        assertEquals(3, o.index());
        assertEquals(8080, o.port());
        assertEquals("127.0.0.1", o.host());
        assertEquals(Path.of("/tmp/run"), o.controlDir());
        assertEquals(List.of("fd-leak", "contention"), o.faults());
        assertEquals(4, o.workers());
    }

    @Test
    void indexDefaultsToTheEnvironmentThenZero() {
        assertEquals(5, WorkerOptions.parse(new String[] {"--port", "1"}, true, Map.of("MP_WORKER_INDEX", "5")).index());
        assertEquals(0, WorkerOptions.parse(new String[] {"--port", "1"}, true, Map.of()).index());
        assertEquals(2, WorkerOptions.parse(new String[] {"--port", "1", "--index", "2"}, true, Map.of("MP_WORKER_INDEX", "5")).index());
    }

    @Test
    void rejectsBadInputWithOneLine() {
        String[][] bad = {
            {},
            {"--port"},
            {"--port", "70000"},
            {"--port", "x"},
            {"--port", "1", "--index", "-1"},
            {"--port", "1", "--faults", "contention,bogus"},
            {"--port", "1", "--frobnicate", "2"},
            {"--port", "1", "--workers", "0"},
        };
        for (String[] args : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorkerOptions.parse(args, true, Map.of()), String.join(" ", args));
            assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void serveTakesNoWorkerOptions() {
        WorkerOptions o = WorkerOptions.parse(new String[] {"--port", "9000", "--host", "0.0.0.0"}, false, Map.of("MP_WORKER_INDEX", "4"));
        assertEquals(0, o.index());
        assertNull(o.controlDir());
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.parse(new String[] {"--port", "1", "--control", "/tmp"}, false, Map.of()));
    }

    @Test
    void helpNeedsNothingElse() {
        assertTrue(WorkerOptions.parse(new String[] {"--help"}, true, Map.of()).help());
    }
}
