package dev.mpdiag.sample.supervisor;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The supervisor's event log: one line per event, UTC timestamp first, on standard output. */
final class SupervisorLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final PrintStream OUT = System.out;

    private SupervisorLog() {
    }

    static void event(String format, Object... args) {
        String line = TIME.format(Instant.now()) + " [supervisor] " + String.format(java.util.Locale.ROOT, format, args);
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
