package dev.mpdiag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the mpdiag command line. */
@Command(name = "mpdiag", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Profiles and diagnoses multi-process Java services from Java Flight Recorder data.",
        subcommands = {AnalyzeCommand.class, FlameCommand.class, DiffCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 a --fail-on gate was reached, 2 bad input or usage."})
public final class Main implements Runnable {
    public static final int EXIT_GATE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    // JMC's loader logs skipped damaged chunks with stack traces through java.util.logging; the CLI
    // reports those as one-line warnings of its own. Held in a field: JUL keeps loggers weakly.
    private static final java.util.logging.Logger JMC_LOG = java.util.logging.Logger.getLogger("org.openjdk.jmc");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; tests call this in-process. */
    public static int run(String... args) {
        JMC_LOG.setLevel(java.util.logging.Level.OFF);
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof dev.mpdiag.engine.InputException ie) {
                cmd.getErr().println("mpdiag: " + ie.input + ": " + ie.reason);
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException iae) {
                cmd.getErr().println("mpdiag: " + iae.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UsageException ue) {
                cmd.getErr().println("mpdiag: " + ue.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof java.io.IOException io) {
                cmd.getErr().println("mpdiag: " + io.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("mpdiag: internal error: " + ex);
            if (System.getenv("MPDIAG_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 3;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("mpdiag: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    /** Bad usage found after parsing (conflicting options, an unwritable output). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mpdiag " + (v == null ? "dev" : v)};
        }
    }
}
