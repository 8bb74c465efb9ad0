package dev.mpdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a plain java -jar starts a tuned second JVM, and with which command line (the file in the jar). */
class TunedJvmPlanTest {
    private static final String HOME = "/opt/jdk-17";
    private static final Path JAR = Path.of("/srv/mpdiag/mpdiag.jar");
    private static final String ARCHIVE = "/srv/mpdiag/cds/_opt_jdk-17.jsa";

    private static TunedJvmPlan plan(List<String> jvmOptions, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("java");
        argv.addAll(jvmOptions);
        argv.add("-jar");
        argv.add(JAR.toString());
        argv.addAll(List.of(args));
        return new TunedJvmPlan(argv, args, env);
    }

    private static List<String> command(TunedJvmPlan plan, boolean archive) throws Exception {
        return command(plan, archive, false);
    }

    private static List<String> command(TunedJvmPlan plan, boolean archive, boolean hugePages) throws Exception {
        assertNull(plan.stayReason(), "expected a second JVM");
        return plan.command(TunedJvmPlan.readOptions(), HOME, archive, hugePages);
    }

    @Test
    void shortCommandsGetBinMpdiagsFlagsThenTheMarkerAndTheJar() throws Exception {
        for (String cmd : List.of("analyze", "flame", "diff")) {
            List<String> line = command(plan(List.of(), Map.of(), cmd, "x.jfr"), true, true);
            assertEquals(List.of("/opt/jdk-17/bin/java", "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1",
                    "-XX:-UsePerfData", "-XX:+UseTransparentHugePages", "-XX:+UseSerialGC",
                    "-XX:SharedArchiveFile=" + ARCHIVE, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", TunedJvmPlan.MARKER, "-jar",
                    JAR.toString()), line);
        }
        assertEquals(Path.of(ARCHIVE), plan(List.of(), Map.of(), "analyze").archive(HOME));
    }

    @Test
    void withoutTheArchiveTheCdsOptionsAreLeftOut() throws Exception {
        List<String> line = command(plan(List.of(), Map.of(), "flame", "x.jfr"), false);
        assertTrue(line.stream().noneMatch(o -> o.contains("Share") || o.startsWith("-Xlog:cds")
                || o.contains("Archive")), line.toString());
        assertTrue(line.contains("-XX:+UseSerialGC"), line.toString());
    }

    @Test
    void theUsersOptionsComeAfterOursSoTheyWin() throws Exception {
        List<String> user = List.of("-Xmx2g", "-Dmy.prop=1", "-ea", "-XX:TieredStopAtLevel=4",
                "-XX:MaxRAMPercentage=50");
        List<String> line = command(plan(user, Map.of(), "analyze", "x.jfr"), true);
        int marker = line.indexOf(TunedJvmPlan.MARKER);
        assertEquals(user, line.subList(marker - user.size(), marker));
        assertTrue(line.indexOf("-XX:TieredStopAtLevel=1") < line.indexOf("-XX:TieredStopAtLevel=4"));
    }

    @Test
    void hugePagesOnlyWhereTheKernelGivesThemOnRequest() throws Exception {
        // The setting's text as Linux shows it: the chosen mode in brackets.
        assertTrue(TunedJvmPlan.hugePagesOn("always [madvise] never\n"));
        assertTrue(TunedJvmPlan.hugePagesOn("[always] madvise never\n"));
        assertTrue(!TunedJvmPlan.hugePagesOn("always madvise [never]\n"));
        assertTrue(!TunedJvmPlan.hugePagesOn(null));
        List<String> line = command(plan(List.of(), Map.of(), "analyze", "x.jfr"), true, false);
        assertTrue(!line.contains("-XX:+UseTransparentHugePages"), line.toString());
    }

    @Test
    void aCollectorTheUserPicksReplacesTheSerialOne() throws Exception {
        // Two collectors on one command line stop the JVM at start ("conflicting collector combinations").
        List<String> line = command(plan(List.of("-XX:+UseG1GC"), Map.of(), "diff", "a.jfr", "b.jfr"), true);
        assertTrue(line.contains("-XX:+UseG1GC"), line.toString());
        assertTrue(!line.contains("-XX:+UseSerialGC"), line.toString());
    }

    @Test
    void otherCommandsStayInThisJvm() {
        assertNotNull(plan(List.of(), Map.of(), "serve", "--port", "0").stayReason());
        assertNotNull(plan(List.of(), Map.of(), "--help").stayReason());
        assertNotNull(plan(List.of(), Map.of(), "--version").stayReason());
        assertNotNull(plan(List.of(), Map.of()).stayReason());
    }

    @Test
    void optionsThatCannotBePassedOnKeepOneJvm() {
        for (String option : List.of("-javaagent:/x/agent.jar", "-agentlib:jdwp=transport=dt_socket",
                "-XX:StartFlightRecording", "-Xlog:gc:file=gc.log", "@argfile", "-cp", "-Dmpdiag.jvm=other")) {
            assertNotNull(plan(List.of(option), Map.of(), "analyze", "x.jfr").stayReason(), option);
        }
        List<String> notJar = List.of("java", "-cp", JAR.toString(), "dev.mpdiag.cli.Launch", "analyze", "x.jfr");
        assertNotNull(new TunedJvmPlan(notJar, new String[] {"analyze", "x.jfr"}, Map.of()).stayReason());
    }

    @Test
    void environmentOptionsOrTheOptOutKeepOneJvm() {
        // The launcher adds these variables' options without showing them on the command line.
        for (String env : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            assertNotNull(plan(List.of(), Map.of(env, "-Xmx1g"), "analyze", "x.jfr").stayReason(), env);
        }
        assertNotNull(plan(List.of(), Map.of("MPDIAG_NO_RELAUNCH", "1"), "analyze", "x.jfr").stayReason());
        assertNull(plan(List.of(), Map.of("MPDIAG_NO_RELAUNCH", "0"), "analyze", "x.jfr").stayReason());
    }
}
