package dev.mpdiag.agent;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;

/** Entry point of mpagent: as a Java agent it registers the mpdiag.ProcessResources JFR event. */
public final class AgentMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -javaagent:mpagent.jar -XX:StartFlightRecording=... <application>",
            "       java -jar mpagent.jar --help",
            "",
            "mpagent registers the periodic JFR event mpdiag.ProcessResources (every 1 s by default):",
            "open file descriptors by kind (file, socket, pipe, other), live OS threads, voluntary and",
            "involuntary context switches summed over the process's threads, and resident set size,",
            "read from /proc. On systems without /proc (not Linux) the event is not emitted.",
            "",
            "The agent does not start a recording. Record the event with -XX:StartFlightRecording, e.g.",
            "  java -javaagent:mpagent.jar -XX:StartFlightRecording=filename=app.jfr,settings=default -jar app.jar",
            "",
            "The agent takes no options yet.");

    private AgentMain() {
    }

    /** Called by the JVM for -javaagent. Never throws: a failing agent must not stop the application. */
    public static void premain(String args, Instrumentation inst) {
        start(args);
    }

    /** Called when the agent is attached to a running JVM. Never throws, like {@link #premain}. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args);
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command line, apart from exiting, so tests can run it in their own JVM. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println(USAGE);
            return 0;
        }
        err.println(USAGE);
        return 2;
    }

    static void start(String args) {
        try {
            if (args != null && !args.isBlank()) {
                // No option exists yet, so every option is unknown and "its default" is to ignore it.
                // Control characters are replaced so the warning stays one line.
                warn("ignoring agent options \"" + args.replaceAll("\\p{Cntrl}", "?")
                        + "\": this version takes none");
            }
            if (!ProcessResourcesHook.register()) {
                warn("/proc/self not found; mpdiag.ProcessResources will not be emitted");
            }
        } catch (Throwable t) {
            // OpenTelemetry's agent does the same: don't rethrow, the application matters more.
            warn("not profiling: " + t);
        }
    }

    private static void warn(String message) {
        try {
            System.err.println("mpagent: " + message);
        } catch (Throwable ignored) {
            // stderr itself failed; there is nowhere left to report to
        }
    }
}
