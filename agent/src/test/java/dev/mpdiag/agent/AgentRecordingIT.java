package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.DataAmount;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a child JVM with the packaged agent and a recording of its own (-XX:StartFlightRecording), and checks
 * the mpdiag.ProcessResources events that recording got.
 */
class AgentRecordingIT {

    // Overridable (mvn ... -Dmpagent.jdk25=...) for machines that keep JDK 25 elsewhere.
    static final Path JDK25_JAVA = Path.of(System.getProperty("mpagent.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    static final String EVENT = "mpdiag.ProcessResources";
    static final List<String> FIELDS = List.of("fdTotal", "fdFile", "fdSocket", "fdPipe", "fdOther",
            "threads", "ctxVoluntary", "ctxInvoluntary", "rssBytes");
    static final long ONE_MB = 1024 * 1024;
    static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void recordsProcessResourcesOnThisJdk() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        checkRecording(java, Runtime.version().feature());
    }

    @Test
    void recordsProcessResourcesOnJdk25() throws Exception {
        if (!Files.isExecutable(JDK25_JAVA)) {
            System.out.println("JDK 25 not found at " + JDK25_JAVA + "; skipping JDK 25 check");
        }
        Assumptions.assumeTrue(Files.isExecutable(JDK25_JAVA),
                "JDK 25 not found at " + JDK25_JAVA + "; skipping JDK 25 check");
        checkRecording(JDK25_JAVA, 25);
    }

    @Test
    void helpExitsZeroAndOtherArgumentsExitTwo() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Child help = run(List.of(java.toString(), "-jar", agentJar().toString(), "--help"));
        assertEquals(0, help.exitCode, help.describe());
        assertTrue(help.stdout.contains(EVENT), help.describe());
        assertTrue(help.stdout.contains("-XX:StartFlightRecording"), help.describe());

        Child bad = run(List.of(java.toString(), "-jar", agentJar().toString(), "--collector=x"));
        assertEquals(2, bad.exitCode, bad.describe());
        assertTrue(bad.stderr.contains("Usage:"), bad.describe());
    }

    private void checkRecording(Path java, int expectedFeature) throws Exception {
        Path jfr = tmp.resolve("workload-" + expectedFeature + ".jfr");
        Child child;
        try (Receiver rx = Receiver.start()) { // the agent streams too; give it a collector so it stays quiet
            child = run(List.of(java.toString(),
                    "-javaagent:" + agentJar() + "=collector=" + rx.url(),
                    "-XX:StartFlightRecording=filename=" + jfr + ",settings=default",
                    "-cp", System.getProperty("mpagent.testClasses"),
                    ResourceWorkload.class.getName()));
        }
        assertEquals(0, child.exitCode, child.describe());
        assertTrue(child.stdout.contains("feature=" + expectedFeature), child.describe());
        assertFalse(child.stderr.contains("mpagent:"), "agent reported a problem: " + child.describe());

        List<RecordedEvent> events = new ArrayList<>();
        String period = null;
        try (RecordingFile file = new RecordingFile(jfr)) {
            long typeId = checkEventType(file.readEventTypes());
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String name = e.getEventType().getName();
                if (name.equals(EVENT)) {
                    events.add(e);
                } else if (name.equals("jdk.ActiveSetting") && e.getLong("id") == typeId
                        && e.getString("name").equals("period")) {
                    period = e.getString("value");
                }
            }
        }
        assertFalse(events.isEmpty(), "no " + EVENT + " events in " + jfr + "; " + child.describe());
        // settings=default does not mention our event, so the period in force is the @Period default.
        assertEquals("1 s", period, "period in force for " + EVENT);

        int full = 0;
        for (RecordedEvent e : events) {
            for (String field : FIELDS) {
                if (field.startsWith("ctx")) {
                    continue; // read on every fifth sample only
                }
                assertTrue(e.getLong(field) >= 0, field + " unavailable on Linux: " + e);
            }
            assertEquals(e.getLong("ctxVoluntary") >= 0, e.getLong("ctxInvoluntary") >= 0, "both switch counts or none: " + e);
            if (e.getLong("ctxVoluntary") > 0) {
                full++;
            }
            assertEquals(e.getLong("fdTotal"), e.getLong("fdFile") + e.getLong("fdSocket")
                    + e.getLong("fdPipe") + e.getLong("fdOther"), "kinds must add up to the total: " + e);
        }
        assertTrue(full >= 1 && full <= (events.size() + 4) / 5 + 1, full + " of " + events.size()
                + " events with context switches: the first and every fifth");
        boolean sawWorkload = false;
        for (RecordedEvent e : events) {
            sawWorkload |= e.getLong("fdFile") >= ResourceWorkload.FILES
                    && e.getLong("fdSocket") >= ResourceWorkload.SERVER_SOCKETS
                    && e.getLong("threads") > ResourceWorkload.THREADS
                    && e.getLong("rssBytes") > ONE_MB;
        }
        if (!sawWorkload) {
            fail("no event saw the workload's 20 files, 3 sockets and 5 threads; events: " + events);
        }
    }

    private static long checkEventType(List<EventType> types) {
        EventType type = null;
        for (EventType t : types) {
            if (t.getName().equals(EVENT)) {
                type = t;
            }
        }
        if (type == null) {
            fail(EVENT + " is not in the recording's metadata");
        }
        assertEquals(List.of("mpdiag"), type.getCategoryNames());
        for (String field : FIELDS) {
            ValueDescriptor d = type.getField(field);
            assertTrue(d != null, "missing field " + field);
            assertEquals("long", d.getTypeName(), field);
        }
        DataAmount rssUnit = type.getField("rssBytes").getAnnotation(DataAmount.class);
        assertEquals(DataAmount.BYTES, rssUnit == null ? null : rssUnit.value(), "rssBytes unit");
        return type.getId();
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("mpagent.jar", "target/mpagent.jar"));
        assertTrue(Files.isRegularFile(jar), "agent jar not built: " + jar);
        return jar;
    }

    private Child run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "child", ".out");
        Path err = Files.createTempFile(tmp, "child", ".err");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("child JVM did not finish in " + CHILD_TIMEOUT_SECONDS + " s: " + command);
        }
        return new Child(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** What a finished child JVM left behind. */
    private static final class Child {
        final List<String> command;
        final int exitCode;
        final String stdout;
        final String stderr;

        Child(List<String> command, int exitCode, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        String describe() {
            return "command " + command + " exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
