package dev.mpdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code java -jar mpdiag.jar} (the packaged jar, in real processes) runs analyze, flame and diff in a
 * second, tuned JVM, and the user sees what one JVM gives: the same output, the same exit code, the same errors.
 */
class TunedJvmIT {
    private static final Path JAR = Path.of("target", "mpdiag.jar");

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run javaJar(boolean oneJvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Recordings.javaOf(System.getProperty("java.home")), "-Xmx512m",
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeAll(List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
                "MPDIAG_NO_RELAUNCH"));
        pb.environment().put("MPDIAG_DEBUG", "1");
        if (oneJvm) {
            pb.environment().put("MPDIAG_NO_RELAUNCH", "1");
        }
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar did not finish in 120 s: " + cmd);
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        // MPDIAG_DEBUG says which way the command ran: the test checks both ways really were taken.
        String expected = oneJvm ? "mpdiag: one JVM: MPDIAG_NO_RELAUNCH is set" : "mpdiag: second JVM: ";
        assertTrue(r.err.contains(expected), r.err);
        if (!oneJvm) {
            assertTrue(r.err.contains(TunedJvmPlan.MARKER) && r.err.contains("-Xmx512m"), r.err);
        }
        return r;
    }

    private static String withoutDebugLines(String err) {
        return err.lines().filter(l -> !l.startsWith("mpdiag: one JVM") && !l.startsWith("mpdiag: second JVM"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void flameWritesTheSameProfileAsOneJvm() throws Exception {
        Path rec = Recordings.jdk17();
        Path tuned = tmp.resolve("tuned.collapsed");
        Path one = tmp.resolve("one.collapsed");
        Run a = javaJar(false, "flame", "--type", "cpu", "--format", "collapsed", "-o", tuned.toString(),
                rec.toString());
        Run b = javaJar(true, "flame", "--type", "cpu", "--format", "collapsed", "-o", one.toString(),
                rec.toString());
        assertEquals(0, a.exit, a.err);
        assertEquals(0, b.exit, b.err);
        String profile = Files.readString(tuned);
        assertTrue(profile.lines().count() > 3, profile);
        assertEquals(Files.readString(one), profile);
    }

    @Test
    void analyzePrintsTheSameReportAsOneJvm() throws Exception {
        Path rec = Recordings.jdk17();
        Run a = javaJar(false, "analyze", rec.toString());
        Run b = javaJar(true, "analyze", rec.toString());
        assertEquals(0, a.exit, a.err);
        assertEquals(b.exit, a.exit);
        assertTrue(a.out.contains("cpu"), a.out);
        assertEquals(b.out, a.out);
        assertEquals(withoutDebugLines(b.err), withoutDebugLines(a.err));
    }

    @Test
    void aMissingFileGivesExitTwoAndOneLineThroughTheSecondJvm() throws Exception {
        Path missing = tmp.resolve("nope.jfr");
        Run r = javaJar(false, "analyze", missing.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit, r.err);
        String err = withoutDebugLines(r.err).trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(missing.toString()) && err.contains("no such file"), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }
}
