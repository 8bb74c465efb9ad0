package dev.mpdiag.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's entry point. A plain {@code java -jar mpdiag.jar analyze|flame|diff} runs the command in a second JVM
 * with bin/mpdiag's flags (C1 only, serial GC, the class-data-sharing archive): on a 30 MB recording that JVM's
 * start and run together take less time than this JVM running it with the default tiered JIT and G1
 * (BENCHMARKS.md "Start-up"). Everything else, and any JVM whose options cannot be passed on, runs here.
 *
 * <p>The second JVM shares this one's stdin, stdout and stderr; its exit code is this one's. No lambdas or
 * string concatenation on variables (see {@link TunedJvmPlan}).
 */
public final class Launch {
    private Launch() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && TunedJvmPlan.isShortCommand(args[0])
                && !"tuned".equals(System.getProperty(TunedJvmPlan.MARKER_PROPERTY))) {
            int code = runTuned(args);
            if (code >= 0) {
                System.exit(code);
            }
        }
        Main.main(args);
    }

    /** Runs the command in a tuned JVM and returns its exit code, or -1 to run it in this JVM. */
    private static int runTuned(String[] args) {
        boolean debug = System.getenv("MPDIAG_DEBUG") != null;
        Process child;
        try {
            TunedJvmPlan plan = new TunedJvmPlan(commandLine(), args, System.getenv());
            if (plan.stayReason() != null) {
                if (debug) {
                    System.err.println(new StringBuilder("mpdiag: one JVM: ").append(plan.stayReason()));
                }
                return -1;
            }
            String javaHome = System.getProperty("java.home");
            boolean archiveUsable = !TunedJvmPlan.isSet(System.getenv(TunedJvmPlan.NO_CDS_ENV))
                    && Files.isRegularFile(plan.archive(javaHome));
            List<String> cmd = plan.command(TunedJvmPlan.readOptions(), javaHome, archiveUsable, hugePagesOn());
            cmd.addAll(Arrays.asList(args));
            if (debug) {
                System.err.println(new StringBuilder("mpdiag: second JVM: ").append(String.join(" ", cmd)));
            }
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux), no java binary, a jar without the options file: the command runs here.
            if (debug) {
                System.err.println(new StringBuilder("mpdiag: one JVM: ").append(e));
            }
            return -1;
        }
        Runtime.getRuntime().addShutdownHook(new StopChild(child));
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // Only a shutdown interrupts main here; the hook stops the child, and waiting goes on.
            }
        }
    }

    private static boolean hugePagesOn() {
        try {
            return TunedJvmPlan.hugePagesOn(Files.readString(Path.of(TunedJvmPlan.HUGE_PAGES_SETTING)));
        } catch (IOException | RuntimeException e) {
            return false; // no such setting (another OS, an old kernel): the heap gets the usual pages
        }
    }

    /** This JVM's command line, from /proc/self/cmdline: the options the launcher was given, in order. */
    private static List<String> commandLine() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(raw, start, i - start, Charset.defaultCharset()));
                start = i + 1;
            }
        }
        return argv;
    }

    /** Stops the second JVM when this one is stopped (SIGTERM, or SIGINT sent to this process alone). */
    private static final class StopChild extends Thread {
        private final Process child;

        StopChild(Process child) {
            super("mpdiag-stop-child");
            this.child = child;
        }

        @Override
        public void run() {
            if (child.isAlive()) {
                child.destroy();
            }
        }
    }
}
