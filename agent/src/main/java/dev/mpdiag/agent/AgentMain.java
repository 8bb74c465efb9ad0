package dev.mpdiag.agent;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;

/**
 * Entry point of mpagent: as a Java agent (premain, or agentmain when attached) it records the JVM with JFR
 * and streams the recording to an mpdiag collector; as a jar it prints help or attaches to a running JVM.
 */
public final class AgentMain {

    static final String ENV_OPTIONS = "MPAGENT_OPTS";

    static final String USAGE = usage();

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
        if (args.length >= 2 && args[0].equals("attach")) {
            // Options may come as one comma-separated word or as several words.
            String options = String.join(",", Arrays.asList(args).subList(2, args.length));
            return Attacher.attach(args[1], options, out, err);
        }
        err.println(USAGE);
        return 2;
    }

    static void start(String args) {
        try {
            AgentOptions options = AgentOptions.parse(args, System.getenv(ENV_OPTIONS), AgentLog::warn);
            if (!ProcessResourcesHook.register()) {
                AgentLog.warn("/proc/self not found; mpdiag.ProcessResources will not be emitted");
            }
            if (options.streams()) {
                Agent.start(options);
            }
        } catch (Throwable t) {
            // OpenTelemetry's agent does the same: don't rethrow, the application matters more.
            AgentLog.warn("not profiling: " + AgentLog.describe(t));
        }
    }

    private static String usage() {
        StringBuilder options = new StringBuilder();
        for (AgentOptions.Option o : AgentOptions.OPTIONS) {
            options.append(String.format("  %-15s %s%n  %-15s (default: %s)%n", o.key(), o.description(), "",
                    o.defaultText()));
        }
        return String.join(System.lineSeparator(),
                "Usage: java -javaagent:mpagent.jar[=OPTIONS] <application>",
                "       java -jar mpagent.jar attach PID [OPTIONS]",
                "       java -jar mpagent.jar --help",
                "",
                "mpagent records the JVM it runs in with Java Flight Recorder (one recording named \"mpagent\") and",
                "streams it to an mpdiag collector: every interval it cuts the recording, which closes a JFR chunk,",
                "and POSTs the chunks no earlier cut sent to <collector>/api/v1/ingest, with the process's identity",
                "(service/host/pid/start), labels, a sequence number and the agent's health. While the collector is",
                "away, uploads wait in a bounded spool and are retried with backoff; when the spool is full the",
                "oldest are dropped and counted. At JVM exit a final cut is sent, never delaying exit by more than",
                "exit.timeout. The agent never stops the application: any failure is one \"mpagent: \" line on stderr.",
                "",
                "It also adds the periodic JFR event mpdiag.ProcessResources (every 1 s): open file descriptors by",
                "kind (file, socket, pipe, other), live OS threads, voluntary and involuntary context switches summed",
                "over the process's threads, and resident set size, read from /proc (Linux only; elsewhere the event",
                "is not emitted), and every 5 s mpdiag.FdPathPattern: the 5 descriptor target path patterns (digit",
                "runs as #) with most descriptors. Recordings of your own record them too; collector=none adds only",
                "these events, e.g.",
                "  java -javaagent:mpagent.jar=collector=none -XX:StartFlightRecording=filename=app.jfr,settings=profile -jar app.jar",
                "",
                "OPTIONS: comma-separated key=value. The environment variable " + ENV_OPTIONS + " takes the same",
                "list; an option in the -javaagent (or attach) string wins over the same one there. A bad option",
                "(unknown key or bad value) falls back to its default with one warning line naming it.",
                "Sizes take k, m or g (512k, 16m, 1g); durations take ms, s or m (500ms, 5s, 2m).",
                "",
                options.toString().stripTrailing(),
                "",
                "attach PID loads this jar into the running JVM PID (same user) with the Attach API; OPTIONS may be",
                "one comma-separated word or several words.",
                "",
                "Health: every upload carries X-Mpdiag-Health; in the JVM, the JMX MBean " + AgentHealthMBean.OBJECT_NAME,
                "has the attributes Shipped, Uploads, Retries, Drops, DroppedBytes, Rejected, SpoolBytes, LastError,",
                "Collector, Service, ProcessId and Profile (registered at the first cut).",
                "",
                "Examples:",
                "  java -javaagent:mpagent.jar=collector=http://127.0.0.1:7070,service=orders,label.role=worker -jar app.jar",
                "  " + ENV_OPTIONS + "=service=orders,interval=10s,spool.dir=/var/tmp/mpagent java -javaagent:mpagent.jar -jar app.jar",
                "  java -jar mpagent.jar attach 41872 collector=http://10.0.0.5:7070 service=orders");
    }
}
