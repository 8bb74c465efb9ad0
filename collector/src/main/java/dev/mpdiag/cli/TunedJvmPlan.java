package dev.mpdiag.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a plain {@code java -jar mpdiag.jar COMMAND} starts a second JVM tuned for a short command, and
 * builds that JVM's command line: the options of command-jvm.options (the flags bin/mpdiag uses), then the user's
 * own options, so theirs win. Pure: the caller reads the JVM's command line, the environment and the file system.
 *
 * <p>Written without lambdas and without string concatenation on variables: this runs before anything else in
 * every command, and either would bootstrap invokedynamic first (tens of milliseconds at start).
 */
final class TunedJvmPlan {
    /** Marks a JVM started tuned (by this plan or by bin/mpdiag): it never starts another. */
    static final String MARKER_PROPERTY = "mpdiag.jvm";
    static final String MARKER = "-Dmpdiag.jvm=tuned";
    static final String NO_RELAUNCH_ENV = "MPDIAG_NO_RELAUNCH";
    static final String NO_CDS_ENV = "MPDIAG_NO_CDS";
    static final String OPTIONS_RESOURCE = "command-jvm.options";
    static final String HUGE_PAGES_SETTING = "/sys/kernel/mm/transparent_hugepage/enabled";

    private static final String[] SHORT_COMMANDS = {"analyze", "flame", "diff"};
    /** Options the launcher adds that do not show on the command line: a second JVM would lose or double them. */
    private static final String[] OPTION_ENVS = {"JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS"};
    /** Option prefixes passed on to the second JVM as given: heap, stack, properties, assertions, GC and JIT. */
    private static final String[] FORWARDED = {"-Xmx", "-Xms", "-Xss", "-Xmn", "-D", "-ea", "-da", "-esa", "-dsa",
        "-enableassertions", "-disableassertions", "-enablesystemassertions", "-disablesystemassertions",
        "-XX:MaxRAMPercentage=", "-XX:InitialRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:MaxRAM=",
        "-XX:MaxHeapSize=", "-XX:InitialHeapSize=", "-XX:TieredStopAtLevel=", "-XX:+TieredCompilation",
        "-XX:-TieredCompilation", "-XX:CICompilerCount=", "-XX:+UsePerfData", "-XX:-UsePerfData"};

    private final List<String> jvmOptions = new ArrayList<>();
    private final String jar;
    private final String stayReason;
    private boolean userGc;

    /**
     * @param argv this JVM's whole command line (/proc/self/cmdline): the launcher, its options, -jar, the jar
     * @param args the command's arguments, as main received them
     * @param env the environment
     */
    TunedJvmPlan(List<String> argv, String[] args, Map<String, String> env) {
        String jarSeen = null;
        String reason = null;
        if (args.length == 0 || !isShortCommand(args[0])) {
            reason = "not analyze, flame or diff";
        } else if (isSet(env.get(NO_RELAUNCH_ENV))) {
            reason = "MPDIAG_NO_RELAUNCH is set";
        }
        for (int i = 0; reason == null && i < OPTION_ENVS.length; i++) {
            if (env.get(OPTION_ENVS[i]) != null) {
                reason = new StringBuilder(OPTION_ENVS[i]).append(" is set").toString();
            }
        }
        for (int i = 1; reason == null && i < argv.size(); i++) {
            String option = argv.get(i);
            if (option.equals("-jar")) {
                jarSeen = i + 1 < argv.size() ? argv.get(i + 1) : null;
                break;
            }
            if (isGcChoice(option)) {
                userGc = true;
                jvmOptions.add(option);
            } else if (isForwarded(option)) {
                jvmOptions.add(option);
            } else {
                reason = new StringBuilder("JVM option ").append(option).append(" is not passed on").toString();
            }
        }
        if (reason == null && jarSeen == null) {
            reason = "not started with -jar";
        }
        this.jar = jarSeen;
        this.stayReason = reason;
    }

    static boolean isShortCommand(String command) {
        for (String c : SHORT_COMMANDS) {
            if (c.equals(command)) {
                return true;
            }
        }
        return false;
    }

    /** Why this JVM runs the command itself, or null when a second JVM runs it. */
    String stayReason() {
        return stayReason;
    }

    /** The jar this JVM was started from, absolute, or null when it was not started with -jar. */
    Path jar() {
        return jar == null ? null : Path.of(jar).toAbsolutePath().normalize();
    }

    /** Where make-cds.sh puts the class-data-sharing archive of the JVM at javaHome for this jar. */
    Path archive(String javaHome) {
        return jar().resolveSibling("cds").resolve(javaHome.replace('/', '_').concat(".jsa"));
    }

    /**
     * The second JVM's command line.
     *
     * @param options the lines of command-jvm.options
     * @param javaHome the JVM to run (this one's java.home)
     * @param archiveUsable whether the archive exists and MPDIAG_NO_CDS is not set
     * @param hugePages whether the kernel gives transparent huge pages to a process that asks ({@link #hugePagesOn})
     */
    List<String> command(List<String> options, String javaHome, boolean archiveUsable, boolean hugePages) {
        if (stayReason != null) {
            throw new IllegalStateException(stayReason);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        String archive = archive(javaHome).toString();
        for (String line : options) {
            String l = line.strip();
            int space = l.indexOf(' ');
            if (l.isEmpty() || l.startsWith("#") || space < 0) {
                continue;
            }
            String group = l.substring(0, space);
            String option = l.substring(space + 1).strip();
            boolean wanted = group.equals("all") || group.equals("short") || (group.equals("short-gc") && !userGc)
                    || (group.equals("short-thp") && hugePages)
                    || ((group.equals("cds") || group.equals("short-cds")) && archiveUsable);
            if (wanted) {
                cmd.add(option.replace("{archive}", archive));
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add(MARKER);
        cmd.add("-jar");
        cmd.add(jar().toString());
        return cmd;
    }

    /** The lines of command-jvm.options, from this class's package in the jar. */
    static List<String> readOptions() throws IOException {
        InputStream in = TunedJvmPlan.class.getResourceAsStream(OPTIONS_RESOURCE);
        if (in == null) {
            throw new IOException("command-jvm.options is missing from the jar");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Whether the kernel's transparent huge page setting (its file's text) lets a process ask for them. */
    static boolean hugePagesOn(String enabled) {
        return enabled != null && (enabled.contains("[madvise]") || enabled.contains("[always]"));
    }

    static boolean isSet(String value) {
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    private static boolean isGcChoice(String option) {
        return option.startsWith("-XX:+Use") && option.endsWith("GC");
    }

    private static boolean isForwarded(String option) {
        if (option.startsWith("-Dmpdiag.jvm=")) {
            return false;
        }
        for (String prefix : FORWARDED) {
            if (option.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
